package dev.eventbus.test;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * An event the application published and whose transaction committed, as the outbox stored it.
 *
 * @param <T> the event class
 * @param event the event, read back from its JSON as a handler would receive it
 * @param id the event id
 * @param type the event type name
 * @param version the event type version
 * @param key the event key, or {@code null}
 * @param topic the topic it goes to
 * @param source the CloudEvents source
 * @param occurredAt when it was published
 * @param headers the further headers sent with it, such as {@code traceparent}
 * @since 0.2.0
 */
public record PublishedEvent<T>(T event, UUID id, String type, int version, @Nullable String key, String topic,
        String source, Instant occurredAt, Map<String, String> headers) implements RecordedEvent<T> {

}
