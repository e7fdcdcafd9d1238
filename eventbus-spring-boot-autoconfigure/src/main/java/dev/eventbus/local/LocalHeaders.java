package dev.eventbus.local;

import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.eventbus.outbox.OutboxEvent;
import dev.eventbus.wire.CloudEventAttributes;

/**
 * The headers of a message in the log of the {@code local} transport: the CloudEvents attributes
 * as in the Kafka binding's binary content mode, each under {@value #PREFIX} and its name, the
 * data content type as {@code content-type}, followed by the event's own headers.
 */
final class LocalHeaders {

    static final String PREFIX = "ce_";

    static final String CONTENT_TYPE = "content-type";

    private LocalHeaders() {
    }

    /**
     * The header that carries an attribute.
     * @param attribute the attribute name, such as {@code id}
     * @return the header name, such as {@code ce_id}
     */
    static String of(String attribute) {
        return CloudEventAttributes.DATA_CONTENT_TYPE.equals(attribute) ? CONTENT_TYPE : PREFIX + attribute;
    }

    /**
     * The headers of an outbox event.
     * @param event the event
     * @return the headers, CloudEvents attributes first
     */
    static Map<String, String> of(OutboxEvent event) {
        Map<String, String> headers = new LinkedHashMap<>(8 + event.headers().size());
        headers.put(of(CloudEventAttributes.SPEC_VERSION), CloudEventAttributes.SPEC_VERSION_1_0);
        headers.put(of(CloudEventAttributes.ID), event.eventId().toString());
        headers.put(of(CloudEventAttributes.SOURCE), event.source());
        headers.put(of(CloudEventAttributes.TYPE), event.type());
        headers.put(of(CloudEventAttributes.TIME), DateTimeFormatter.ISO_INSTANT.format(event.occurredAt()));
        headers.put(of(CloudEventAttributes.EVENT_VERSION), Integer.toString(event.version()));
        headers.put(CONTENT_TYPE, CloudEventAttributes.APPLICATION_JSON);
        headers.putAll(event.headers());
        return headers;
    }

}
