package dev.eventbus;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * What is known about a received event besides its content.
 *
 * @since 0.1.0
 */
public interface EventMetadata {

    /**
     * The event id; the {@code ce_id} if it is a UUID, else a UUID derived from source and id.
     * @return the id, never {@code null}
     */
    UUID id();

    /**
     * The event type name ({@code ce_type}).
     * @return the type, never {@code null}
     */
    String type();

    /**
     * The event type version; 1 when the producer sent none.
     * @return the version
     */
    int version();

    /**
     * The event key.
     * @return the key, or {@code null} if the event has none
     */
    @Nullable String key();

    /**
     * The producing application ({@code ce_source}).
     * @return the source, never {@code null}
     */
    String source();

    /**
     * When the event was published (its CloudEvents {@code time}), or the broker's timestamp of
     * the message if the producer sent no time.
     * @return the time, never {@code null}
     */
    Instant occurredAt();

    /**
     * The topic the message was read from.
     * @return the topic, never {@code null}
     */
    String topic();

    /**
     * The partition the message was read from.
     * @return the partition
     */
    int partition();

    /**
     * The message's position in its partition: the Kafka offset, or the broker's sequence number.
     * @return the offset, {@code -1} if the broker has none
     */
    long offset();

    /**
     * The delivery attempt in this consumer, 1 for the first.
     * @return the attempt, at least 1
     */
    int attempt();

    /**
     * All message headers decoded as UTF-8, the CloudEvents headers included.
     * @return the headers, never {@code null}
     */
    Map<String, String> headers();

}
