package dev.eventbus.test;

import java.util.Objects;

import dev.eventbus.consumer.ConsumerOutcome;

/**
 * What the application's consumer groups did with the events they received since the current
 * test method started: {@code handledEvents.ofType(OrderPlaced.class).withKey("order-1")}, or
 * {@link #processed} for the events the handlers ran for and committed.
 *
 * @since 0.2.0
 */
public final class HandledEvents {

    private final RecordedEvents records;

    /**
     * Creates the view.
     * @param records the records
     */
    public HandledEvents(RecordedEvents records) {
        this.records = records;
    }

    /**
     * Every outcome for events of a class: processed, duplicate, retried, dead-lettered.
     * @param <T> the event class
     * @param type an {@code @EventType} class
     * @return the outcomes, in the order they were reached
     */
    public <T> Matches<T, HandledEvent<T>> ofType(Class<T> type) {
        return new Matches<>(this.records.handled(type, RecordedEvents.Mark.START),
                "handled " + type.getSimpleName());
    }

    /**
     * The events of a class whose handlers ran and committed.
     * @param <T> the event class
     * @param type an {@code @EventType} class
     * @return the processed events, in the order they were processed
     */
    public <T> Matches<T, HandledEvent<T>> processed(Class<T> type) {
        return ofType(type).matching((handled) -> handled.outcome() == ConsumerOutcome.PROCESSED, "outcome processed");
    }

    /**
     * The outcomes of one consumer group for events of a class.
     * @param <T> the event class
     * @param type an {@code @EventType} class
     * @param group the consumer group
     * @return the outcomes, in the order they were reached
     */
    public <T> Matches<T, HandledEvent<T>> ofType(Class<T> type, String group) {
        return ofType(type).matching((handled) -> Objects.equals(handled.group(), group), "group " + group);
    }

}
