package dev.eventbus.actuate;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.eventbus.consumer.EventConsumers;
import dev.eventbus.consumer.EventHandlerEndpoint;
import dev.eventbus.outbox.JdbcOutboxRepository;
import dev.eventbus.outbox.OutboxStatistics;
import dev.eventbus.outbox.ParkedOutboxEvents;
import dev.eventbus.relay.RelayStatus;
import dev.eventbus.transport.DeadLetterBrowser;
import dev.eventbus.transport.DeadLetterReplayer;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code eventbus} Actuator endpoint: reads the outbox status, the events parked because the
 * broker refused them, the consumer groups and handlers, and the dead letters a transport keeps in
 * the database; retries parked events and replays dead-lettered records. Read-only unless
 * {@code management.endpoint.eventbus.access=unrestricted}, and, like every endpoint, exposed over
 * HTTP only when the application lists it in {@code management.endpoints.web.exposure.include}.
 *
 * @since 0.1.0
 */
@Endpoint(id = "eventbus", defaultAccess = Access.READ_ONLY)
public class EventbusEndpoint {

    private final OutboxStatistics statistics;

    private static final int LISTED_PARKED_EVENTS = 20;

    private static final int LISTED_DEAD_LETTERS = 20;

    private final JdbcOutboxRepository outbox;

    private final ParkedOutboxEvents parkedEvents;

    private final @Nullable RelayStatus relayStatus;

    private final @Nullable EventConsumers consumers;

    private final @Nullable DeadLetterReplayer replayer;

    private final @Nullable DeadLetterBrowser deadLetters;

    /**
     * Creates the endpoint.
     * @param statistics the outbox backlog
     * @param outbox the outbox, for per-topic counts
     * @param parkedEvents the events the broker refused for good
     * @param relayStatus the relay's state, or {@code null} without relay
     * @param consumers the consumers, or {@code null} without consumers
     * @param replayer the transport's replay of dead letters, or {@code null} without consumers
     * @param deadLetters the dead letters the transport keeps where eventbus can list them, or
     * {@code null} when they live in the broker
     */
    public EventbusEndpoint(OutboxStatistics statistics, JdbcOutboxRepository outbox, ParkedOutboxEvents parkedEvents,
            @Nullable RelayStatus relayStatus, @Nullable EventConsumers consumers, @Nullable DeadLetterReplayer replayer,
            @Nullable DeadLetterBrowser deadLetters) {
        this.statistics = statistics;
        this.outbox = outbox;
        this.parkedEvents = parkedEvents;
        this.relayStatus = relayStatus;
        this.consumers = consumers;
        this.replayer = replayer;
        this.deadLetters = deadLetters;
    }

    /**
     * The outbox status and the consumers.
     * @return the description
     */
    @ReadOperation
    public EventbusDescriptor status() {
        OutboxStatistics.Snapshot snapshot = this.statistics.current();
        OutboxDescriptor outbox = new OutboxDescriptor(snapshot.pending(), snapshot.lag().toMillis() / 1000.0,
                this.outbox.countPendingByTopic(), this.parkedEvents.count(),
                this.parkedEvents.oldest(LISTED_PARKED_EVENTS),
                (this.relayStatus != null) ? this.relayStatus.lastError().orElse(null) : null);
        List<ConsumerDescriptor> consumers = (this.consumers != null) ? this.consumers.endpoints()
            .stream()
            .map(EventbusEndpoint::describe)
            .toList() : List.of();
        DeadLettersDescriptor deadLetters = (this.deadLetters != null) ? new DeadLettersDescriptor(
                this.deadLetters.count(), this.deadLetters.oldest(LISTED_DEAD_LETTERS)) : null;
        return new EventbusDescriptor(outbox, consumers, deadLetters);
    }

    /**
     * Retries parked events ({@code retryFailed}), or replays dead-lettered records of a topic to
     * that topic; both keep the event ids.
     * @param topic the original topic of the dead letters to replay; not needed to retry
     * @param group only the dead letters of this consumer group, or {@code null} for those of
     * every group; either way each replayed event reaches only the group that dead-lettered it
     * @param eventIds only these event ids, or {@code null} for all
     * @param limit replay at most this many, or {@code null} for all
     * @param retryFailed whether to move parked events back into the outbox instead of replaying
     * @return how many were replayed or retried
     */
    @WriteOperation
    public WriteDescriptor replay(@Nullable String topic, @Nullable String group, @Nullable List<String> eventIds,
            @Nullable Integer limit, @Nullable Boolean retryFailed) {
        if (Boolean.TRUE.equals(retryFailed)) {
            List<UUID> ids = (eventIds != null) ? eventIds.stream().map(EventbusEndpoint::eventId).toList() : null;
            return new WriteDescriptor(null, 0, this.parkedEvents.retry(ids));
        }
        if (topic == null) {
            throw new IllegalArgumentException("Name the topic whose dead letters to replay, or set retryFailed");
        }
        if (this.replayer == null) {
            throw new IllegalStateException("This application runs no eventbus consumers");
        }
        int replayed = this.replayer.replay(topic, group, (eventIds != null) ? new HashSet<>(eventIds) : null, limit);
        return new WriteDescriptor(topic, replayed, 0);
    }

    private static UUID eventId(String id) {
        try {
            return UUID.fromString(id);
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("'" + id + "' is not an event id of a parked event", ex);
        }
    }

    private static ConsumerDescriptor describe(EventHandlerEndpoint endpoint) {
        return new ConsumerDescriptor(endpoint.group(), endpoint.topic(),
                endpoint.handlers().stream().map((handler) -> handler.method().describe()).toList());
    }

    /**
     * What the read operation shows.
     *
     * @param outbox the outbox status
     * @param consumers the consumer groups with their topics and handlers
     * @param deadLetters the dead letters, when the transport keeps them where eventbus can list
     * them (the {@code local} transport), else {@code null}
     */
    public record EventbusDescriptor(OutboxDescriptor outbox, List<ConsumerDescriptor> consumers,
            @Nullable DeadLettersDescriptor deadLetters) {
    }

    /**
     * The dead letters a transport keeps in the database.
     *
     * @param count how many are kept
     * @param oldest the oldest of them
     */
    public record DeadLettersDescriptor(long count, List<DeadLetterBrowser.DeadLetter> oldest) {
    }

    /**
     * The outbox status.
     *
     * @param pending unpublished events
     * @param oldestPendingAgeSeconds age of the oldest of them
     * @param pendingByTopic unpublished events per topic
     * @param failed events parked because the broker refused them for good
     * @param failedEvents the oldest of them
     * @param lastRelayError the relay's last error, or {@code null}
     */
    public record OutboxDescriptor(long pending, double oldestPendingAgeSeconds, Map<String, Long> pendingByTopic,
            long failed, List<ParkedOutboxEvents.ParkedEvent> failedEvents, @Nullable String lastRelayError) {
    }

    /**
     * One subscription.
     *
     * @param group the consumer group
     * @param topic the topic
     * @param handlers the handler methods
     */
    public record ConsumerDescriptor(String group, String topic, List<String> handlers) {
    }

    /**
     * The result of the write operation.
     *
     * @param topic the topic replayed to, or {@code null} for a retry of parked events
     * @param replayed how many dead letters were replayed
     * @param retried how many parked events were moved back into the outbox
     */
    public record WriteDescriptor(@Nullable String topic, int replayed, int retried) {
    }

}
