package dev.eventbus.consumer;

import java.time.Duration;

/**
 * Told what the consumers do, for metrics. Implementations must be fast and must not throw.
 *
 * @since 0.1.0
 */
public interface ConsumerObserver {

    /** An observer that ignores everything. */
    ConsumerObserver NONE = new ConsumerObserver() {
    };

    /**
     * A record reached an outcome.
     * @param group the consumer group
     * @param type the event type, or {@code unknown} for records that are not CloudEvents
     * @param outcome the outcome
     */
    default void outcome(String group, String type, ConsumerOutcome outcome) {
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
