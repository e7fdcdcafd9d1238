package dev.eventbus.metrics;

import dev.eventbus.outbox.OutboxStatistics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The outbox backlog gauges: {@code eventbus.outbox.pending} and {@code eventbus.outbox.lag}
 * (seconds since the oldest unpublished event was published), read from
 * {@link OutboxStatistics}, which queries the database at most every few seconds.
 */
public class OutboxMeters implements MeterBinder {

    private final OutboxStatistics statistics;

    /**
     * Creates the gauges.
     * @param statistics the backlog readings
     */
    public OutboxMeters(OutboxStatistics statistics) {
        this.statistics = statistics;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("eventbus.outbox.pending", this.statistics, (statistics) -> statistics.current().pending())
            .description("Events in the outbox not yet acknowledged by the broker")
            .register(registry);
        Gauge.builder("eventbus.outbox.lag", this.statistics,
                (statistics) -> statistics.current().lag().toMillis() / 1000.0)
            .description("Age of the oldest event not yet acknowledged by the broker")
            .baseUnit("seconds")
            .register(registry);
        Gauge.builder("eventbus.outbox.failed", this.statistics, (statistics) -> statistics.current().failed())
            .description("Events parked because the broker refused them for good, until retried")
            .register(registry);
    }

}
