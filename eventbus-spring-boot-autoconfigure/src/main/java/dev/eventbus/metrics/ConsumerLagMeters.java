package dev.eventbus.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

import dev.eventbus.consumer.EventConsumers;
import dev.eventbus.consumer.EventHandlerEndpoint;
import dev.eventbus.transport.ConsumerEndpoint;
import dev.eventbus.transport.ConsumerTransport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The gauge {@code eventbus.consumer.lag} (tags group and topic): messages of a topic that a
 * consumer group has not handled yet, as the transport tells it. Each reading is reused for a few
 * seconds, so frequent scrapes do not ask the broker each time; {@code NaN} while the transport
 * cannot tell.
 */
public class ConsumerLagMeters implements MeterBinder {

    private static final Duration MAX_AGE = Duration.ofSeconds(2);

    private final EventConsumers consumers;

    private final ConsumerTransport transport;

    private final Clock clock;

    private final Map<ConsumerEndpoint, Reading> readings = new ConcurrentHashMap<>();

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
        Instant now = this.clock.instant();
        Reading reading = this.readings.get(endpoint);
        if (reading == null || reading.readAt().plus(MAX_AGE).isBefore(now)) {
            OptionalLong lag = this.transport.lag(endpoint);
            reading = new Reading(lag.isPresent() ? lag.getAsLong() : Double.NaN, now);
            this.readings.put(endpoint, reading);
        }
        return reading.lag();
    }

    private record Reading(double lag, Instant readAt) {

    }

}
