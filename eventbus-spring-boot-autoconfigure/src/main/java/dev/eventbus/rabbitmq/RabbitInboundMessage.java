package dev.eventbus.rabbitmq;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.eventbus.transport.InboundMessage;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

/**
 * An AMQP message as the core sees it, with the CloudEvents attributes of the AMQP protocol
 * binding.
 */
final class RabbitInboundMessage implements InboundMessage {

    private final Message message;

    private final String topic;

    private final int partition;

    private final Map<String, String> headers;

    RabbitInboundMessage(Message message, String topic, int partition) {
        this.message = message;
        this.topic = topic;
        this.partition = partition;
        this.headers = headers(message.getMessageProperties());
    }

    /**
     * Reads the headers as text; long strings that arrived as streams, which can be read once,
     * are put back into the message as text, so that its dead letter keeps them.
     */
    private static Map<String, String> headers(MessageProperties properties) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, Object> header : properties.getHeaders().entrySet()) {
            String text = text(header.getValue());
            if (text != null) {
                headers.put(header.getKey(), text);
            }
            if (header.getValue() instanceof InputStream) {
                header.setValue(text);
            }
        }
        if (properties.getContentType() != null && !properties.getHeaders().containsKey("content-type")) {
            headers.put("content-type", properties.getContentType());
        }
        return headers;
    }

    /**
     * A header value as text: AMQP byte arrays (what amqp091-go sends for {@code []byte}) and
     * long strings longer than Spring AMQP converts (which it hands over as streams) as UTF-8,
     * timestamps in RFC 3339, strings and numbers as they read.
     */
    private static @Nullable String text(@Nullable Object value) {
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (value instanceof InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        if (value instanceof Date date) {
            return date.toInstant().toString();
        }
        return (value != null) ? value.toString() : null;
    }

    Message message() {
        return this.message;
    }

    long deliveryTag() {
        return this.message.getMessageProperties().getDeliveryTag();
    }

    @Override
    public String topic() {
        return this.topic;
    }

    @Override
    public int partition() {
        return this.partition;
    }

    @Override
    public long offset() {
        return -1;
    }

    @Override
    public @Nullable String key() {
        return this.headers.get(RabbitHeaders.PARTITION_KEY);
    }

    @Override
    public byte @Nullable [] body() {
        return this.message.getBody();
    }

    @Override
    public @Nullable String attribute(String name) {
        if (RabbitHeaders.isContentType(name)) {
            return this.message.getMessageProperties().getContentType();
        }
        return this.headers.get(RabbitHeaders.of(name));
    }

    @Override
    public Map<String, String> headers() {
        return this.headers;
    }

    @Override
    public Instant timestamp() {
        return (this.message.getMessageProperties().getTimestamp() != null)
                ? this.message.getMessageProperties().getTimestamp().toInstant() : Instant.now();
    }

}
