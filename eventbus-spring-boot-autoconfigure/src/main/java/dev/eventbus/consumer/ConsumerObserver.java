package dev.eventbus.consumer;

import java.time.Duration;
import java.util.List;

import dev.eventbus.transport.InboundMessage;
import org.jspecify.annotations.Nullable;

/**
 * Told what the consumers do, for metrics and tests. Implementations must be fast and must not throw.
 *
 * @since 0.1.0
 */
public interface ConsumerObserver {

    /** An observer that ignores everything. */
    ConsumerObserver NONE = new ConsumerObserver() {
    };

    /**
     * One observer that tells all of the given ones.
     * @param observers the observers, in order
     * @return {@link #NONE} for none, the observer itself for one, else one that tells each in turn
     */
    static ConsumerObserver of(List<ConsumerObserver> observers) {
        if (observers.size() <= 1) {
            return observers.isEmpty() ? NONE : observers.get(0);
        }
        List<ConsumerObserver> all = List.copyOf(observers);
        return new ConsumerObserver() {

            @Override
            public void outcome(String group, String type, ConsumerOutcome outcome) {
                all.forEach((observer) -> observer.outcome(group, type, outcome));
            }

            @Override
            public void messageOutcome(String group, InboundMessage message, ConsumerOutcome outcome,
                    @Nullable Exception cause) {
                all.forEach((observer) -> observer.messageOutcome(group, message, outcome, cause));
            }

            @Override
            public void handlerFinished(String group, String type, Duration duration) {
                all.forEach((observer) -> observer.handlerFinished(group, type, duration));
            }

        };
    }

    /**
     * A record reached an outcome.
     * @param group the consumer group
     * @param type the event type, or {@code unknown} for a message that is not a CloudEvent or whose
     * type this application neither publishes nor handles
     * @param outcome the outcome
     */
    default void outcome(String group, String type, ConsumerOutcome outcome) {
    }

    /**
     * A message reached an outcome, told right after {@link #outcome} with the message itself, for
     * observers that keep what was handled, such as a test's recorder.
     * @param group the consumer group
     * @param message the message as received
     * @param outcome the outcome
     * @param cause the failure of the attempt for {@link ConsumerOutcome#RETRIED}, the reason it was
     * given up for {@link ConsumerOutcome#DEAD_LETTERED}, else {@code null}
     */
    default void messageOutcome(String group, InboundMessage message, ConsumerOutcome outcome,
            @Nullable Exception cause) {
    }

    /**
     * A handler method returned or threw.
     * @param group the consumer group
     * @param type the event type
     * @param duration how long it ran
     */
    default void handlerFinished(String group, String type, Duration duration) {
    }

}
