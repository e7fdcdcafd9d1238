package dev.eventbus.test;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * What {@link PublishedEvent} and {@link HandledEvent} have in common, for {@link Matches}.
 *
 * @param <T> the event class
 * @since 0.2.0
 */
public interface RecordedEvent<T> {

    /**
     * The event.
     * @return the event, or {@code null} for a received message that is not one
     */
    @Nullable T event();

    /**
     * The event id.
     * @return the id
     */
    UUID id();

    /**
     * The event key.
     * @return the key, or {@code null}
     */
    @Nullable String key();

}
