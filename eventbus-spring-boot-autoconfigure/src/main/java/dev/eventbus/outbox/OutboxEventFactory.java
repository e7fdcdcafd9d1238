package dev.eventbus.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.eventbus.wire.EventTypeDescriptor;
import dev.eventbus.wire.EventTypeRegistry;
import dev.eventbus.wire.TopicRouter;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.SenderContext;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns an application's event object into an {@link OutboxEvent}: checks its type, gives it a
 * time-ordered id, serializes it to JSON and refuses it if it is too large, so that nothing the
 * relay cannot send ever reaches the outbox.
 */
public class OutboxEventFactory {

    private final EventTypeRegistry registry;

    private final TopicRouter topicRouter;

    private final JsonMapper jsonMapper;

    /** The id, time, version and spec version attributes, and the names of all attributes. */
    private static final int ATTRIBUTES_LENGTH = 36 + 30 + 10 + 3 + 100;

    private final String source;

    private final long maxPayloadBytes;

    private final long sourceLength;

    private final Clock clock;

    private final TimeOrderedUuids ids;

    private final ObservationRegistry observationRegistry;

    /**
     * Creates a factory.
     * @param registry describes event classes
     * @param topicRouter routes event types to topics
     * @param jsonMapper serializes events, usually the application's
     * @param source the CloudEvents source of every event
     * @param maxPayloadBytes the largest event accepted: its JSON, key, headers and attributes
     * @param clock stamps events and their ids
     * @param observationRegistry observes each publication, so that a tracer propagates the current
     * trace context into the event's headers
     */
    public OutboxEventFactory(EventTypeRegistry registry, TopicRouter topicRouter, JsonMapper jsonMapper,
            String source, long maxPayloadBytes, Clock clock, ObservationRegistry observationRegistry) {
        this.registry = registry;
        this.topicRouter = topicRouter;
        this.jsonMapper = jsonMapper;
        this.source = source;
        this.maxPayloadBytes = maxPayloadBytes;
        this.sourceLength = source.getBytes(StandardCharsets.UTF_8).length;
        this.clock = clock;
        this.ids = new TimeOrderedUuids(clock);
        this.observationRegistry = observationRegistry;
    }

    /**
     * Creates the outbox event for an event object keyed by its {@code @EventKey}.
     * @param event an instance of an {@code @EventType} class
     * @return the outbox event, never {@code null}
     * @throws IllegalArgumentException if the event is not an {@code @EventType}, cannot be
     * serialized or is too large
     */
    public OutboxEvent create(Object event) {
        EventTypeDescriptor descriptor = this.registry.describe(event.getClass());
        return create(event, descriptor, descriptor.keyOf(event));
    }

    /**
     * Creates the outbox event for an event object with an explicit key.
     * @param event an instance of an {@code @EventType} class
     * @param key the key, or {@code null} for none
     * @return the outbox event, never {@code null}
     * @throws IllegalArgumentException if the event is not an {@code @EventType}, cannot be
     * serialized or is too large
     */
    public OutboxEvent create(Object event, @Nullable String key) {
        return create(event, this.registry.describe(event.getClass()), key);
    }

    private OutboxEvent create(Object event, EventTypeDescriptor descriptor, @Nullable String key) {
        String payload = serialize(event, descriptor);
        UUID eventId = this.ids.next();
        Map<String, String> headers = traceHeaders(descriptor.name());
        checkSize(descriptor, payload, key, headers);
        return new OutboxEvent(eventId, descriptor.name(), descriptor.version(), this.topicRouter.topicOf(descriptor.name()),
                key, OutboxLanes.of(key, eventId), this.source, payload, headers, this.clock.instant());
    }

    /**
     * Refuses an event whose record would be larger than {@code eventbus.outbox.max-payload-size}:
     * its JSON, key, headers and CloudEvents attributes, in UTF-8. Counts the bytes only when three
     * per character could exceed the limit.
     */
    private void checkSize(EventTypeDescriptor descriptor, String payload, @Nullable String key,
            Map<String, String> headers) {
        List<String> parts = new ArrayList<>(2 + 2 * headers.size());
        parts.add(payload);
        parts.add(descriptor.name());
        if (key != null) {
            parts.add(key);
        }
        headers.forEach((name, value) -> {
            parts.add(name);
            parts.add(value);
        });
        long fixed = this.sourceLength + ATTRIBUTES_LENGTH;
        long atMost = fixed;
        for (String part : parts) {
            atMost += 3L * part.length();
        }
        if (atMost <= this.maxPayloadBytes) {
            return;
        }
        long size = fixed;
        for (String part : parts) {
            size += part.getBytes(StandardCharsets.UTF_8).length;
        }
        if (size > this.maxPayloadBytes) {
            throw new IllegalArgumentException("Event " + descriptor.name() + " is " + size
                    + " bytes as JSON with its key and headers, more than eventbus.outbox.max-payload-size ("
                    + this.maxPayloadBytes + " bytes); it was not published");
        }
    }

    private Map<String, String> traceHeaders(String type) {
        if (this.observationRegistry.isNoop()) {
            return Map.of();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        SenderContext<Map<String, String>> context = new SenderContext<>(Map::put);
        context.setCarrier(headers);
        Observation.createNotStarted("eventbus.publish", () -> context, this.observationRegistry)
            .contextualName(type + " publish")
            .lowCardinalityKeyValue("type", type)
            .observe(() -> {
            });
        return headers;
    }

    private String serialize(Object event, EventTypeDescriptor descriptor) {
        String payload;
        try {
            payload = this.jsonMapper.writeValueAsString(event);
        }
        catch (JacksonException ex) {
            throw new IllegalArgumentException("Cannot serialize event " + descriptor.name() + " ("
                    + descriptor.javaType().getName() + ") to JSON: " + ex.getOriginalMessage(), ex);
        }
        return payload;
    }

}
