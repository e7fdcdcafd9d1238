package dev.eventbus.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Map;

import dev.eventbus.outbox.OutboxEvent;
import dev.eventbus.wire.CloudEventAttributes;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;

/**
 * Maps an outbox event to an AMQP message in the CloudEvents AMQP binding's binary content mode:
 * the body is the JSON payload, the attributes travel in {@code cloudEvents_} headers, the key in
 * {@code cloudEvents_partitionkey}; the message is persistent and its message id is the event id.
 */
public class CloudEventMessageMapper {

    /**
     * Creates the message of an event.
     * @param event the stored event
     * @return the message, never {@code null}
     */
    public Message toMessage(OutboxEvent event) {
        MessageProperties properties = new MessageProperties();
        properties.setContentType(CloudEventAttributes.APPLICATION_JSON);
        properties.setContentEncoding(StandardCharsets.UTF_8.name());
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        properties.setMessageId(event.eventId().toString());
        properties.setTimestamp(Date.from(event.occurredAt()));
        properties.setHeader(RabbitHeaders.of(CloudEventAttributes.SPEC_VERSION), CloudEventAttributes.SPEC_VERSION_1_0);
        properties.setHeader(RabbitHeaders.of(CloudEventAttributes.ID), event.eventId().toString());
        properties.setHeader(RabbitHeaders.of(CloudEventAttributes.SOURCE), event.source());
        properties.setHeader(RabbitHeaders.of(CloudEventAttributes.TYPE), event.type());
        properties.setHeader(RabbitHeaders.of(CloudEventAttributes.TIME),
                DateTimeFormatter.ISO_INSTANT.format(event.occurredAt()));
        properties.setHeader(RabbitHeaders.of(CloudEventAttributes.EVENT_VERSION), Integer.toString(event.version()));
        if (event.key() != null) {
            properties.setHeader(RabbitHeaders.PARTITION_KEY, event.key());
        }
        for (Map.Entry<String, String> header : event.headers().entrySet()) {
            properties.setHeader(header.getKey(), header.getValue());
        }
        return new Message(event.payload().getBytes(StandardCharsets.UTF_8), properties);
    }

}
