package dev.eventbus.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.eventbus.consumer.CloudEventDecoder;
import dev.eventbus.consumer.ConsumerObserver;
import dev.eventbus.consumer.ConsumerOutcome;
import dev.eventbus.outbox.OutboxCommitListener;
import dev.eventbus.outbox.OutboxEvent;
import dev.eventbus.transport.InboundMessage;
import dev.eventbus.wire.CloudEventAttributes;
import dev.eventbus.wire.EventTypeDescriptor;
import dev.eventbus.wire.EventTypeRegistry;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records what the application publishes and what its consumers do, for
 * {@link PublishedEvents}, {@link HandledEvents} and {@link EventScenario}. Events are kept as
 * stored or received and read as a class when asked for.
 *
 * @since 0.2.0
 */
public class RecordedEvents implements OutboxCommitListener, ConsumerObserver {

    private final EventTypeRegistry registry;

    private final JsonMapper jsonMapper;

    private final List<OutboxEvent> published = new ArrayList<>();

    private final List<Handled> handled = new ArrayList<>();

    /**
     * Creates the records.
     * @param registry the application's event types
     * @param jsonMapper reads events as their class
     */
    public RecordedEvents(EventTypeRegistry registry, JsonMapper jsonMapper) {
        this.registry = registry;
        this.jsonMapper = jsonMapper;
    }

    @Override
    public void outboxCommitted(List<OutboxEvent> events) {
        synchronized (this) {
            this.published.addAll(events);
            notifyAll();
        }
    }

    @Override
    public void messageOutcome(String group, InboundMessage message, ConsumerOutcome outcome,
            @Nullable Exception cause) {
        String type = message.attribute(CloudEventAttributes.TYPE);
        String id = message.attribute(CloudEventAttributes.ID);
        if (type == null || id == null) {
            return;
        }
        String source = message.attribute(CloudEventAttributes.SOURCE);
        String version = message.attribute(CloudEventAttributes.EVENT_VERSION);
        byte[] body = message.body();
        Handled record = new Handled(group, CloudEventDecoder.eventId(id, (source != null) ? source : ""), type,
                parseVersion(version), message.key(), message.topic(),
                (body != null) ? new String(body, StandardCharsets.UTF_8) : null, outcome, cause);
        synchronized (this) {
            this.handled.add(record);
            notifyAll();
        }
    }

    private static int parseVersion(@Nullable String version) {
        try {
            return (version != null) ? Integer.parseInt(version.trim()) : 1;
        }
        catch (NumberFormatException ex) {
            return 1;
        }
    }

    /**
     * Forgets everything recorded so far.
     */
    public synchronized void clear() {
        this.published.clear();
        this.handled.clear();
    }

    /**
     * Where the records stand now, to wait for what is recorded after it.
     * @return the mark
     */
    synchronized Mark mark() {
        return new Mark(this.published.size(), this.handled.size());
    }

    synchronized <T> List<PublishedEvent<T>> published(Class<T> type, Mark from) {
        EventTypeDescriptor descriptor = this.registry.describe(type);
        List<PublishedEvent<T>> events = new ArrayList<>();
        for (OutboxEvent event : this.published.subList(Math.min(from.published(), this.published.size()),
                this.published.size())) {
            if (event.type().equals(descriptor.name()) && event.version() == descriptor.version()) {
                events.add(new PublishedEvent<>(read(event.payload(), type), event.eventId(), event.type(),
                        event.version(), event.key(), event.topic(), event.source(), event.occurredAt(),
                        event.headers()));
            }
        }
        return events;
    }

    synchronized <T> List<HandledEvent<T>> handled(Class<T> type, Mark from) {
        EventTypeDescriptor descriptor = this.registry.describe(type);
        List<HandledEvent<T>> events = new ArrayList<>();
        for (Handled record : this.handled.subList(Math.min(from.handled(), this.handled.size()),
                this.handled.size())) {
            if (record.type().equals(descriptor.name()) && record.version() == descriptor.version()) {
                events.add(new HandledEvent<>(readOrNull(record.json(), type), record.group(), record.id(),
                        record.type(), record.version(), record.key(), record.topic(), record.outcome(),
                        record.cause()));
            }
        }
        return events;
    }

    /**
     * Waits until the records hold a match.
     * @param <R> the match
     * @param timeout how long to wait
     * @param find looks for the match in the records
     * @return the match, or empty after the timeout
     */
    synchronized <R> Optional<R> await(Duration timeout, Function<RecordedEvents, Optional<R>> find) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<R> found = find.apply(this);
            long remaining = deadline - System.nanoTime();
            if (found.isPresent() || remaining <= 0) {
                return found;
            }
            try {
                wait(Math.max(1, remaining / 1_000_000));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    static <E> Optional<E> first(List<E> events, Predicate<? super E> condition) {
        return events.stream().filter(condition).findFirst();
    }

    private <T> T read(String json, Class<T> type) {
        return this.jsonMapper.readValue(json, type);
    }

    private <T> @Nullable T readOrNull(@Nullable String json, Class<T> type) {
        try {
            return (json != null) ? read(json, type) : null;
        }
        catch (JacksonException ex) {
            return null;
        }
    }

    /**
     * The number of published and handled records at a point in time.
     */
    record Mark(int published, int handled) {

        static final Mark START = new Mark(0, 0);

    }

    /**
     * A consumer outcome as recorded, with the event still as JSON.
     */
    private record Handled(String group, UUID id, String type, int version, @Nullable String key,
            String topic, @Nullable String json, ConsumerOutcome outcome, @Nullable Exception cause) {
    }

}
