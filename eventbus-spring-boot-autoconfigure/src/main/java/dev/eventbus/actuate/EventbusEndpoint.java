package dev.eventbus.actuate;

import java.util.HashSet;
import java.util.List;
import java.util.Map;

import dev.eventbus.consumer.EventConsumers;
import dev.eventbus.consumer.EventHandlerEndpoint;
import dev.eventbus.outbox.JdbcOutboxRepository;
import dev.eventbus.outbox.OutboxStatistics;
import dev.eventbus.relay.RelayStatus;
import dev.eventbus.transport.DeadLetterReplayer;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code eventbus} Actuator endpoint: reads the outbox status and the consumer groups and
 * handlers, and replays dead-lettered records. Read-only unless
 * {@code management.endpoint.eventbus.access=unrestricted}, and, like every endpoint, exposed over
 * HTTP only when the application lists it in {@code management.endpoints.web.exposure.include}.
 *
 * @since 0.1.0
 */
@Endpoint(id = "eventbus", defaultAccess = Access.READ_ONLY)
public class EventbusEndpoint {

    private final OutboxStatistics statistics;

    private final JdbcOutboxRepository outbox;

    private final @Nullable RelayStatus relayStatus;

    private final @Nullable EventConsumers consumers;

    private final @Nullable DeadLetterReplayer replayer;

    /**
     * Creates the endpoint.
     * @param statistics the outbox backlog
     * @param outbox the outbox, for per-topic counts
     * @param relayStatus the relay's state, or {@code null} without relay
     * @param consumers the consumers, or {@code null} without consumers
     * @param replayer the transport's replay of dead letters, or {@code null} without consumers
     */
    public EventbusEndpoint(OutboxStatistics statistics, JdbcOutboxRepository outbox, @Nullable RelayStatus relayStatus,
            @Nullable EventConsumers consumers, @Nullable DeadLetterReplayer replayer) {
        this.statistics = statistics;
        this.outbox = outbox;
        this.relayStatus = relayStatus;
        this.consumers = consumers;
        this.replayer = replayer;
    }

    /**
     * The outbox status and the consumers.
     * @return the description
     */
    @ReadOperation
    public EventbusDescriptor status() {
        OutboxStatistics.Snapshot snapshot = this.statistics.current();
        OutboxDescriptor outbox = new OutboxDescriptor(snapshot.pending(), snapshot.lag().toMillis() / 1000.0,
                this.outbox.countPendingByTopic(),
                (this.relayStatus != null) ? this.relayStatus.lastError().orElse(null) : null);
        List<ConsumerDescriptor> consumers = (this.consumers != null) ? this.consumers.endpoints()
            .stream()
            .map(EventbusEndpoint::describe)
            .toList() : List.of();
        return new EventbusDescriptor(outbox, consumers);
    }

    /**
     * Replays dead-lettered records of a topic to that topic, keeping their event ids.
     * @param topic the original topic
     * @param eventIds only these event ids, or {@code null} for all
     * @param limit at most this many, or {@code null} for all
     * @return how many were replayed
     */
    @WriteOperation
    public ReplayDescriptor replay(String topic, @Nullable List<String> eventIds, @Nullable Integer limit) {
        if (this.replayer == null) {
            throw new IllegalStateException("This application runs no eventbus consumers");
        }
        int replayed = this.replayer.replay(topic, (eventIds != null) ? new HashSet<>(eventIds) : null, limit);
        return new ReplayDescriptor(topic, replayed);
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
     */
    public record EventbusDescriptor(OutboxDescriptor outbox, List<ConsumerDescriptor> consumers) {
    }

    /**
     * The outbox status.
     *
     * @param pending unpublished events
     * @param oldestPendingAgeSeconds age of the oldest of them
     * @param pendingByTopic unpublished events per topic
     * @param lastRelayError the relay's last error, or {@code null}
     */
    public record OutboxDescriptor(long pending, double oldestPendingAgeSeconds, Map<String, Long> pendingByTopic,
            @Nullable String lastRelayError) {
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
     * The result of a replay.
     *
     * @param topic the topic replayed to
     * @param replayed how many records were replayed
     */
    public record ReplayDescriptor(String topic, int replayed) {
    }

}
