package dev.eventbus.test;

import java.util.UUID;

import dev.eventbus.consumer.ConsumerOutcome;
import org.jspecify.annotations.Nullable;

/**
 * An outcome a consumer group of the application reached for a received event: processed by the
 * handlers, skipped as a duplicate or as unknown, retried or dead-lettered.
 *
 * @param <T> the event class
 * @param event the event as the handlers receive it, or {@code null} for a message whose data is
 * not an event of that class
 * @param group the consumer group
 * @param id the event id
 * @param type the event type name
 * @param version the event type version
 * @param key the event key, or {@code null}
 * @param topic the topic it was read from
 * @param outcome the outcome
 * @param cause the failure of the attempt for {@link ConsumerOutcome#RETRIED}, the reason it was
 * given up for {@link ConsumerOutcome#DEAD_LETTERED}, else {@code null}
 * @since 0.2.0
 */
public record HandledEvent<T>(@Nullable T event, String group, UUID id, String type, int version, @Nullable String key,
        String topic, ConsumerOutcome outcome, @Nullable Exception cause) implements RecordedEvent<T> {

}
