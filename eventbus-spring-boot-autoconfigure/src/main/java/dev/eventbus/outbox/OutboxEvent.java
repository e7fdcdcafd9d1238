package dev.eventbus.outbox;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * An event ready to be stored in the outbox: validated, serialized and routed.
 *
 * @param eventId the event id ({@code ce_id})
 * @param type the type name on the wire ({@code ce_type})
 * @param version the schema version of the event type
 * @param topic the eventbus topic it goes to
 * @param key the record key, or {@code null}
 * @param lane the outbox lane, derived from the key; events of one lane are relayed in order
 * @param source the CloudEvents source
 * @param payload the event as JSON
 * @param headers further headers to send with the record, such as {@code traceparent}
 * @param occurredAt when the event was published ({@code ce_time})
 */
public record OutboxEvent(UUID eventId, String type, int version, String topic, @Nullable String key, int lane,
        String source, String payload, Map<String, String> headers, Instant occurredAt) {

}
