package dev.eventbus.nats;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.eventbus.transport.InboundMessage;
import io.nats.client.Message;
import org.jspecify.annotations.Nullable;

/**
 * A JetStream message as the core sees it, with the CloudEvents attributes of the NATS protocol
 * binding, their values percent-decoded if the message says they are encoded
 * ({@link NatsHeaderValues}).
 */
final class NatsInboundMessage implements InboundMessage {

    private final Message message;

    private final String topic;

    private final int partition;

    private final Map<String, String> headers;

    NatsInboundMessage(Message message, String topic, int partition) {
        this.message = message;
        this.topic = topic;
        this.partition = partition;
        this.headers = new LinkedHashMap<>();
        if (message.hasHeaders()) {
            boolean encoded = NatsHeaderValues.isEncoded(message.getHeaders());
            for (Map.Entry<String, List<String>> header : message.getHeaders().entrySet()) {
                if (!header.getValue().isEmpty()) {
                    String value = header.getValue().get(0);
                    this.headers.put(header.getKey(), encoded ? NatsHeaderValues.decode(value) : value);
                }
            }
        }
    }

    Message message() {
        return this.message;
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
        return this.message.isJetStream() ? this.message.metaData().streamSequence() : -1;
    }

    @Override
    public @Nullable String key() {
        return this.headers.get(NatsHeaders.PARTITION_KEY);
    }

    @Override
    public byte @Nullable [] body() {
        return this.message.getData();
    }

    @Override
    public @Nullable String attribute(String name) {
        return this.headers.get(NatsHeaders.of(name));
    }

    @Override
    public Map<String, String> headers() {
        return this.headers;
    }

    @Override
    public Instant timestamp() {
        return this.message.isJetStream() ? this.message.metaData().timestamp().toInstant() : Instant.now();
    }

}
