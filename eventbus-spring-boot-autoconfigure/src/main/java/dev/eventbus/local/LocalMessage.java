package dev.eventbus.local;

import java.time.Instant;
import java.util.Map;

import dev.eventbus.transport.InboundMessage;
import org.jspecify.annotations.Nullable;

/**
 * A message of the log of the {@code local} transport.
 *
 * @param sequenceNo the message's place in the log, increasing within each partition in the order
 * the messages were appended
 * @param topic the eventbus topic
 * @param partition the partition, the outbox lane of the event
 * @param key the event key, or {@code null}
 * @param headers the headers, see {@link LocalHeaders}
 * @param body the event as JSON, or {@code null}
 * @param timestamp when the message was appended
 */
record LocalMessage(long sequenceNo, String topic, int partition, @Nullable String key, Map<String, String> headers,
        byte @Nullable [] body, Instant timestamp) implements InboundMessage {

    @Override
    public long offset() {
        return this.sequenceNo;
    }

    @Override
    public @Nullable String attribute(String name) {
        return this.headers.get(LocalHeaders.of(name));
    }

}
