package dev.eventbus.consumer;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import dev.eventbus.EventMetadata;
import org.jspecify.annotations.Nullable;

/**
 * The metadata of a received event.
 *
 * @param id the event id
 * @param type the event type name
 * @param version the event type version
 * @param key the record key, or {@code null}
 * @param source the producing application
 * @param occurredAt when the event was published
 * @param topic the topic read from
 * @param partition the partition read from
 * @param offset the record offset
 * @param attempt the delivery attempt, from 1
 * @param headers the record headers as strings
 */
public record ReceivedEventMetadata(UUID id, String type, int version, @Nullable String key, String source,
        Instant occurredAt, String topic, int partition, long offset, int attempt,
        Map<String, String> headers) implements EventMetadata {

    /**
     * The same metadata for another attempt.
     * @param attempt the attempt number
     * @return the metadata, never {@code null}
     */
    public ReceivedEventMetadata withAttempt(int attempt) {
        return new ReceivedEventMetadata(this.id, this.type, this.version, this.key, this.source, this.occurredAt,
                this.topic, this.partition, this.offset, attempt, this.headers);
    }

}
