package dev.eventbus.test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import dev.eventbus.EventMetadata;
import dev.eventbus.consumer.ReceivedEventMetadata;
import dev.eventbus.wire.EventTypeDescriptor;
import dev.eventbus.wire.EventTypeRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Builds the {@link EventMetadata} a handler method receives, for a unit test of that method
 * without Spring:
 * <pre class="code">
 * handlers.on(event, TestEventMetadata.of(event).attempt(2).build());
 * </pre>
 * Type, version and key come from the event's {@code @EventType} and {@code @EventKey}; the id is
 * random, the time now, the attempt 1, and the topic the type name.
 *
 * @since 0.2.0
 */
public final class TestEventMetadata {

    private static final EventTypeRegistry REGISTRY = new EventTypeRegistry();

    private UUID id = UUID.randomUUID();

    private String type;

    private int version;

    private @Nullable String key;

    private String source = "test";

    private Instant occurredAt = Instant.now();

    private String topic;

    private int partition;

    private long offset;

    private int attempt = 1;

    private final Map<String, String> headers = new LinkedHashMap<>();

    private TestEventMetadata(String type, int version, @Nullable String key) {
        this.type = type;
        this.version = version;
        this.key = key;
        this.topic = type;
    }

    /**
     * Starts the metadata of an event.
     * @param event an {@code @EventType} object
     * @return the builder
     * @throws IllegalArgumentException if the class has no {@code @EventType}
     */
    public static TestEventMetadata of(Object event) {
        EventTypeDescriptor descriptor = REGISTRY.describe(event.getClass());
        return new TestEventMetadata(descriptor.name(), descriptor.version(), descriptor.keyOf(event));
    }

    /**
     * Starts the metadata of an event type given by name, such as one of another service.
     * @param type the event type name
     * @param version the event type version
     * @return the builder
     */
    public static TestEventMetadata ofType(String type, int version) {
        return new TestEventMetadata(type, version, null);
    }

    /**
     * @param id the event id
     * @return this builder
     */
    public TestEventMetadata id(UUID id) {
        this.id = id;
        return this;
    }

    /**
     * @param type the event type name
     * @return this builder
     */
    public TestEventMetadata type(String type) {
        this.type = type;
        return this;
    }

    /**
     * @param version the event type version
     * @return this builder
     */
    public TestEventMetadata version(int version) {
        this.version = version;
        return this;
    }

    /**
     * @param key the event key, or {@code null}
     * @return this builder
     */
    public TestEventMetadata key(@Nullable String key) {
        this.key = key;
        return this;
    }

    /**
     * @param source the producing application
     * @return this builder
     */
    public TestEventMetadata source(String source) {
        this.source = source;
        return this;
    }

    /**
     * @param occurredAt when the event was published
     * @return this builder
     */
    public TestEventMetadata occurredAt(Instant occurredAt) {
        this.occurredAt = occurredAt;
        return this;
    }

    /**
     * @param topic the topic read from
     * @return this builder
     */
    public TestEventMetadata topic(String topic) {
        this.topic = topic;
        return this;
    }

    /**
     * @param partition the partition read from
     * @return this builder
     */
    public TestEventMetadata partition(int partition) {
        this.partition = partition;
        return this;
    }

    /**
     * @param offset the position in the partition
     * @return this builder
     */
    public TestEventMetadata offset(long offset) {
        this.offset = offset;
        return this;
    }

    /**
     * @param attempt the delivery attempt, from 1
     * @return this builder
     * @throws IllegalArgumentException if it is less than 1
     */
    public TestEventMetadata attempt(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt starts at 1, but was " + attempt);
        }
        this.attempt = attempt;
        return this;
    }

    /**
     * @param name a header name, such as {@code traceparent}
     * @param value its value
     * @return this builder
     */
    public TestEventMetadata header(String name, String value) {
        this.headers.put(name, value);
        return this;
    }

    /**
     * The metadata.
     * @return the metadata, never {@code null}
     */
    public EventMetadata build() {
        return new ReceivedEventMetadata(this.id, this.type, this.version, this.key, this.source, this.occurredAt,
                this.topic, this.partition, this.offset, this.attempt, Map.copyOf(this.headers));
    }

}
