package dev.eventbus.health;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import dev.eventbus.outbox.OutboxStatistics;
import dev.eventbus.relay.RelayStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * DOWN when the oldest unpublished event is older than {@code eventbus.health.max-outbox-lag} or
 * the relay has been failing for longer than that, or when a consumer stopped delivering on its
 * own (a consuming thread or container ended); details show the backlog, the events parked
 * because the broker refused them (they hold nothing up, so they do not make it DOWN) and the
 * last error.
 */
public class EventbusHealthIndicator extends AbstractHealthIndicator {

    private final OutboxStatistics statistics;

    private final @Nullable RelayStatus relayStatus;

    private final Duration maxLag;

    private final Supplier<List<String>> stoppedConsumers;

    /**
     * Creates the indicator.
     * @param statistics the backlog readings
     * @param relayStatus the relay's state, or {@code null} if this instance runs no relay
     * @param maxLag the largest acceptable lag
     */
    public EventbusHealthIndicator(OutboxStatistics statistics, @Nullable RelayStatus relayStatus, Duration maxLag) {
        this(statistics, relayStatus, maxLag, List::of);
    }

    /**
     * Creates the indicator.
     * @param statistics the backlog readings
     * @param relayStatus the relay's state, or {@code null} if this instance runs no relay
     * @param maxLag the largest acceptable lag
     * @param stoppedConsumers the consumer endpoints that stopped delivering on their own
     */
    public EventbusHealthIndicator(OutboxStatistics statistics, @Nullable RelayStatus relayStatus, Duration maxLag,
            Supplier<List<String>> stoppedConsumers) {
        super("eventbus health check failed");
        this.statistics = statistics;
        this.relayStatus = relayStatus;
        this.maxLag = maxLag;
        this.stoppedConsumers = stoppedConsumers;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        OutboxStatistics.Snapshot snapshot = this.statistics.current();
        Optional<Duration> failingFor = (this.relayStatus != null) ? this.relayStatus.failingFor() : Optional.empty();
        boolean lagging = snapshot.lag().compareTo(this.maxLag) > 0;
        boolean failing = failingFor.filter((duration) -> duration.compareTo(this.maxLag) > 0).isPresent();
        List<String> stopped = this.stoppedConsumers.get();
        builder.status((lagging || failing || !stopped.isEmpty()) ? "DOWN" : "UP")
            .withDetail("pending", snapshot.pending())
            .withDetail("oldestPendingAge", snapshot.lag().toString())
            .withDetail("failed", snapshot.failed())
            .withDetail("maxOutboxLag", this.maxLag.toString());
        failingFor.ifPresent((duration) -> builder.withDetail("relayFailingFor", duration.toString()));
        if (!stopped.isEmpty()) {
            builder.withDetail("stoppedConsumers", stopped);
        }
        if (this.relayStatus != null) {
            this.relayStatus.lastError().ifPresent((error) -> builder.withDetail("lastRelayError", error));
        }
    }

}
