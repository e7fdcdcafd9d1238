package dev.eventbus.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.eventbus.transport.InboundMessage;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;

/**
 * A Kafka record as the core sees it, with the CloudEvents attributes of the Kafka protocol
 * binding. The headers are decoded once, on first use.
 */
final class KafkaInboundMessage implements InboundMessage {

    private final ConsumerRecord<byte[], byte[]> record;

    private final Consumer<?, ?> consumer;

    private @Nullable Map<String, String> headers;

    KafkaInboundMessage(ConsumerRecord<byte[], byte[]> record, Consumer<?, ?> consumer) {
        this.record = record;
        this.consumer = consumer;
    }

    ConsumerRecord<byte[], byte[]> record() {
        return this.record;
    }

    Consumer<?, ?> consumer() {
        return this.consumer;
    }

    @Override
    public String topic() {
        return this.record.topic();
    }

    @Override
    public int partition() {
        return this.record.partition();
    }

    @Override
    public long offset() {
        return this.record.offset();
    }

    @Override
    public @Nullable String key() {
        return (this.record.key() != null) ? new String(this.record.key(), StandardCharsets.UTF_8) : null;
    }

    @Override
    public byte @Nullable [] body() {
        return this.record.value();
    }

    @Override
    public @Nullable String attribute(String name) {
        return headers().get(CloudEventHeaders.of(name));
    }

    @Override
    public Map<String, String> headers() {
        Map<String, String> decoded = this.headers;
        if (decoded == null) {
            decoded = new LinkedHashMap<>();
            for (Header header : this.record.headers()) {
                if (header.value() != null) {
                    decoded.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
                }
            }
            decoded = Collections.unmodifiableMap(decoded);
            this.headers = decoded;
        }
        return decoded;
    }

    @Override
    public Instant timestamp() {
        return Instant.ofEpochMilli(this.record.timestamp());
    }

}
