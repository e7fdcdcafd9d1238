package dev.eventbus.metrics;

import java.time.Duration;

import dev.eventbus.relay.RelayObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Records what the relay sends: {@code eventbus.relay.published} (tag topic),
 * {@code eventbus.relay.failures} (tags topic, exception) and {@code eventbus.relay.latency}
 * (tag topic), the time from publication to the broker's acknowledgement, with histogram buckets.
 */
public class MicrometerRelayObserver implements RelayObserver {

    private final MeterRegistry registry;

    /**
     * Creates the observer.
     * @param registry where the meters are registered
     */
    public MicrometerRelayObserver(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void published(String topic, Duration sinceOccurred) {
        Counter.builder("eventbus.relay.published")
            .description("Events the broker acknowledged")
            .tag("topic", topic)
            .register(this.registry)
            .increment();
        Timer.builder("eventbus.relay.latency")
            .description("Time from publishing an event to the broker's acknowledgement")
            .tag("topic", topic)
            .publishPercentileHistogram()
            .register(this.registry)
            .record(sinceOccurred);
    }

    @Override
    public void failed(String topic, Throwable failure) {
        Counter.builder("eventbus.relay.failures")
            .description("Events the relay failed to send")
            .tag("topic", topic)
            .tag("exception", failure.getClass().getSimpleName())
            .register(this.registry)
            .increment();
    }

}
