package dev.eventbus.consumer;

import java.time.Instant;
import java.util.Map;

import dev.eventbus.transport.InboundMessage;
import org.jspecify.annotations.Nullable;

/**
 * A received message of no particular transport, whose headers are the CloudEvents attributes
 * under their plain names.
 */
record TestMessage(String topic, @Nullable String key, byte @Nullable [] body,
        Map<String, String> headers) implements InboundMessage {

    @Override
    public int partition() {
        return 0;
    }

    @Override
    public long offset() {
        return 0;
    }

    @Override
    public @Nullable String attribute(String name) {
        return this.headers.get(name);
    }

    @Override
    public Instant timestamp() {
        return Instant.EPOCH;
    }

}
