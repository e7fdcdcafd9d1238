package dev.eventbus.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.eventbus.transport.InboundMessage;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;

/**
 * A Kafka record as the core sees it, with the CloudEvents attributes of the Kafka protocol
 * binding.
 *
 * @param record the record
 * @param consumer the consumer that polled it, or {@code null}
 */
record KafkaInboundMessage(ConsumerRecord<byte[], byte[]> record,
        @Nullable Consumer<?, ?> consumer) implements InboundMessage {

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
        Header header = this.record.headers().lastHeader(CloudEventHeaders.of(name));
        return (header != null && header.value() != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
    }

    @Override
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : this.record.headers()) {
            if (header.value() != null) {
                headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        return headers;
    }

    @Override
    public Instant timestamp() {
        return Instant.ofEpochMilli(this.record.timestamp());
    }

}
