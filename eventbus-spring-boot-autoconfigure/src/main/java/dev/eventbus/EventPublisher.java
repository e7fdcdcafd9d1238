package dev.eventbus;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Publishes events through the transactional outbox: the event is stored in the caller's database
 * transaction and reaches the broker after that transaction commits. If the transaction rolls back, the
 * event was never published.
 *
 * @since 0.1.0
 */
public interface EventPublisher {

    /**
     * Publishes an event keyed by its {@link EventKey} member, or without key if it has none.
     * @param event an instance of a class annotated with {@link EventType}
     * @return the event id, a time-ordered UUID, never {@code null}
     * @throws IllegalArgumentException if the event's class has no {@link EventType} or the event
     * cannot be serialized or is larger than {@code eventbus.outbox.max-payload-size}
     * @throws IllegalStateException if no transaction is active and
     * {@code eventbus.outbox.require-transaction} is {@code true}
     */
    UUID publish(Object event);

    /**
     * Publishes an event with an explicit key, overriding any {@link EventKey} member.
     * @param event an instance of a class annotated with {@link EventType}
     * @param key the record key and ordering key, or {@code null} for none
     * @return the event id, a time-ordered UUID, never {@code null}
     * @throws IllegalArgumentException if the event's class has no {@link EventType} or the event
     * cannot be serialized or is larger than {@code eventbus.outbox.max-payload-size}
     * @throws IllegalStateException if no transaction is active and
     * {@code eventbus.outbox.require-transaction} is {@code true}
     */
    UUID publish(Object event, @Nullable String key);

}
