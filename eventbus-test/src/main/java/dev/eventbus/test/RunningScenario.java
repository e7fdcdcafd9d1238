package dev.eventbus.test;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

import dev.eventbus.consumer.ConsumerOutcome;
import org.jspecify.annotations.Nullable;

/**
 * A scenario whose stimulus has run: waits for the events that follow it. Each wait returns the
 * event it waited for, to assert on; it fails with an {@link AssertionError} after the
 * scenario's timeout, and at once when the event it waits to be handled is dead-lettered.
 *
 * @since 0.2.0
 */
public final class RunningScenario {

    private final RecordedEvents records;

    private final RecordedEvents.Mark mark;

    private final Duration timeout;

    RunningScenario(RecordedEvents records, RecordedEvents.Mark mark, Duration timeout) {
        this.records = records;
        this.mark = mark;
        this.timeout = timeout;
    }

    /**
     * Waits until an event of a class with a key is published, by the stimulus or in reaction to it.
     * @param <T> the event class
     * @param type an {@code @EventType} class
     * @param key the event key
     * @return the published event
     */
    public <T> PublishedEvent<T> andWaitForPublished(Class<T> type, @Nullable String key) {
        return andWaitForPublished(type, (published) -> Objects.equals(published.key(), key));
    }

    /**
     * Waits until an event of a class that satisfies a condition is published.
     * @param <T> the event class
     * @param type an {@code @EventType} class
     * @param condition the condition
     * @return the published event
     */
    public <T> PublishedEvent<T> andWaitForPublished(Class<T> type, Predicate<? super PublishedEvent<T>> condition) {
        return this.records
            .await(this.timeout,
                    (records) -> RecordedEvents.first(records.published(type, this.mark), condition))
            .orElseThrow(() -> new AssertionError("No " + type.getSimpleName() + " matching the condition was"
                    + " published within " + this.timeout + "; published: "
                    + this.records.published(type, this.mark)));
    }

    /**
     * Waits until a consumer group processed an event of a class with a key: its handlers ran and
     * their transaction committed.
     * @param <T> the event class
     * @param type an {@code @EventType} class
     * @param key the event key
     * @return the processed event
     * @throws AssertionError if the event was dead-lettered instead, with the cause
     */
    public <T> HandledEvent<T> andWaitForHandled(Class<T> type, @Nullable String key) {
        return andWaitForHandled(type, (handled) -> Objects.equals(handled.key(), key));
    }

    /**
     * Waits until one consumer group processed an event of a class with a key.
     * @param <T> the event class
     * @param type an {@code @EventType} class
     * @param key the event key
     * @param group the consumer group
     * @return the processed event
     * @throws AssertionError if the group dead-lettered the event instead, with the cause
     */
    public <T> HandledEvent<T> andWaitForHandled(Class<T> type, @Nullable String key, String group) {
        return andWaitForHandled(type,
                (handled) -> Objects.equals(handled.key(), key) && handled.group().equals(group));
    }

    /**
     * Waits until a consumer group processed an event of a class that satisfies a condition.
     * @param <T> the event class
     * @param type an {@code @EventType} class
     * @param condition the condition
     * @return the processed event
     * @throws AssertionError if a matching event was dead-lettered instead, with the cause
     */
    public <T> HandledEvent<T> andWaitForHandled(Class<T> type, Predicate<? super HandledEvent<T>> condition) {
        HandledEvent<T> handled = awaitOutcome(type, condition, "handled", ConsumerOutcome.PROCESSED,
                ConsumerOutcome.DEAD_LETTERED);
        if (handled.outcome() == ConsumerOutcome.DEAD_LETTERED) {
            throw new AssertionError(type.getSimpleName() + " " + handled.id() + " (key " + handled.key()
                    + ") was dead-lettered by group " + handled.group() + " instead of handled", handled.cause());
        }
        return handled;
    }

    /**
     * Waits until a consumer group dead-lettered an event of a class with a key.
     * @param <T> the event class
     * @param type an {@code @EventType} class
     * @param key the event key
     * @return the dead-lettered event, with the cause
     */
    public <T> HandledEvent<T> andWaitForDeadLetter(Class<T> type, @Nullable String key) {
        return awaitOutcome(type, (handled) -> Objects.equals(handled.key(), key), "dead-lettered",
                ConsumerOutcome.DEAD_LETTERED);
    }

    private <T> HandledEvent<T> awaitOutcome(Class<T> type, Predicate<? super HandledEvent<T>> condition,
            String expected, ConsumerOutcome... outcomes) {
        List<ConsumerOutcome> accepted = List.of(outcomes);
        Predicate<HandledEvent<T>> match = (handled) -> accepted.contains(handled.outcome())
                && condition.test(handled);
        Optional<HandledEvent<T>> found = this.records.await(this.timeout,
                (records) -> RecordedEvents.first(records.handled(type, this.mark), match));
        return found.orElseThrow(() -> new AssertionError("No " + type.getSimpleName() + " matching the condition"
                + " was " + expected + " within " + this.timeout + "; outcomes: "
                + this.records.handled(type, this.mark)));
    }

}
