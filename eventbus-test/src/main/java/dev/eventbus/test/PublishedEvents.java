package dev.eventbus.test;

/**
 * The events the application published in transactions that committed, since the current test
 * method started: {@code publishedEvents.ofType(OrderPlaced.class).withKey("order-1").single()}.
 *
 * @since 0.2.0
 */
public final class PublishedEvents {

    private final RecordedEvents records;

    /**
     * Creates the view.
     * @param records the records
     */
    public PublishedEvents(RecordedEvents records) {
        this.records = records;
    }

    /**
     * The published events of a class.
     * @param <T> the event class
     * @param type an {@code @EventType} class
     * @return the events, in commit order
     */
    public <T> Matches<T, PublishedEvent<T>> ofType(Class<T> type) {
        return new Matches<>(this.records.published(type, RecordedEvents.Mark.START),
                "published " + type.getSimpleName());
    }

}
