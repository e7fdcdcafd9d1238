package dev.eventbus.kafka;

import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.eventbus.outbox.OutboxEvent;
import dev.eventbus.wire.CloudEventAttributes;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Maps an outbox event to a Kafka record in the CloudEvents binary content mode: the key is the
 * event key, the value the JSON payload, and the event attributes travel in {@code ce_} headers.
 */
public class CloudEventRecordMapper {

    /**
     * Creates the record of an event.
     * @param event the stored event
     * @return the record to send, never {@code null}
     */
    public ProducerRecord<String, byte[]> toRecord(OutboxEvent event) {
        List<Header> headers = new ArrayList<>(8 + event.headers().size());
        headers.add(header(CloudEventHeaders.SPEC_VERSION, CloudEventAttributes.SPEC_VERSION_1_0));
        headers.add(header(CloudEventHeaders.ID, event.eventId().toString()));
        headers.add(header(CloudEventHeaders.SOURCE, event.source()));
        headers.add(header(CloudEventHeaders.TYPE, event.type()));
        headers.add(header(CloudEventHeaders.TIME, DateTimeFormatter.ISO_INSTANT.format(event.occurredAt())));
        headers.add(header(CloudEventHeaders.EVENT_VERSION, Integer.toString(event.version())));
        headers.add(header(CloudEventHeaders.CONTENT_TYPE, CloudEventAttributes.APPLICATION_JSON));
        for (Map.Entry<String, String> extra : event.headers().entrySet()) {
            headers.add(header(extra.getKey(), extra.getValue()));
        }
        return new ProducerRecord<>(event.topic(), null, event.key(),
                event.payload().getBytes(StandardCharsets.UTF_8), headers);
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

}
