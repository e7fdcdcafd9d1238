package dev.eventbus.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import dev.eventbus.consumer.EventConsumers;
import dev.eventbus.consumer.EventHandlerEndpoint;
import dev.eventbus.transport.ConsumerEndpoint;
import dev.eventbus.transport.ConsumerTransport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The gauge {@code eventbus.consumer.lag} (tags group and topic): messages of a topic that a
 * consumer group has not handled yet, as the transport tells it; {@code NaN} until it could tell.
 * A scrape never waits for the broker: it reads the last value, and a reading older than a few
 * seconds is renewed on a thread of its own.
 */
public class ConsumerLagMeters implements MeterBinder, AutoCloseable {

    private static final Duration MAX_AGE = Duration.ofSeconds(2);

    private final EventConsumers consumers;

    private final ConsumerTransport transport;

    private final Clock clock;

    private final Map<ConsumerEndpoint, Reading> readings = new ConcurrentHashMap<>();

    private final Set<ConsumerEndpoint> refreshing = ConcurrentHashMap.newKeySet();

    private final ExecutorService refresher = Executors.newSingleThreadExecutor((task) -> {
        Thread thread = new Thread(task, "eventbus-consumer-lag");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * Creates the gauges.
     * @param consumers the subscriptions of this application
     * @param transport tells their lag
     * @param clock the current time
     */
    public ConsumerLagMeters(EventConsumers consumers, ConsumerTransport transport, Clock clock) {
        this.consumers = consumers;
        this.transport = transport;
        this.clock = clock;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (EventHandlerEndpoint endpoint : this.consumers.endpoints()) {
            ConsumerEndpoint consumerEndpoint = new ConsumerEndpoint(endpoint.group(), endpoint.topic(), 1);
            Gauge.builder("eventbus.consumer.lag", this, (meters) -> meters.lag(consumerEndpoint))
                .description("Messages of the topic the consumer group has not handled yet")
                .tag("group", endpoint.group())
                .tag("topic", endpoint.topic())
                .register(registry);
        }
    }

    private double lag(ConsumerEndpoint endpoint) {
        Reading reading = this.readings.get(endpoint);
        if ((reading == null || reading.readAt().plus(MAX_AGE).isBefore(this.clock.instant()))
                && this.refreshing.add(endpoint)) {
            try {
                this.refresher.execute(() -> refresh(endpoint));
            }
            catch (RejectedExecutionException ex) {
                this.refreshing.remove(endpoint);
            }
        }
        return (reading != null) ? reading.lag() : Double.NaN;
    }

    private void refresh(ConsumerEndpoint endpoint) {
        try {
            OptionalLong lag = this.transport.lag(endpoint);
            this.readings.put(endpoint, new Reading(lag.isPresent() ? lag.getAsLong() : Double.NaN,
                    this.clock.instant()));
        }
        finally {
            this.refreshing.remove(endpoint);
        }
    }

    /**
     * Stops renewing the readings.
     */
    @Override
    public void close() {
        this.refresher.shutdownNow();
    }

    private record Reading(double lag, Instant readAt) {

    }

}
