package dev.eventbus.metrics;

import java.time.Duration;

import dev.eventbus.relay.RelayObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Records what the relay sends: {@code eventbus.relay.published} (tag topic),
 * {@code eventbus.relay.failures} (tags topic, exception) and {@code eventbus.relay.latency}
 * (tag topic), the time from publication to the broker's acknowledgement, with histogram buckets.
 */
public class MicrometerRelayObserver implements RelayObserver {

    private final Meter.MeterProvider<Counter> published;

    private final Meter.MeterProvider<Counter> failures;

    private final Meter.MeterProvider<Timer> latency;

    /**
     * Creates the observer.
     * @param registry where the meters are registered
     */
    public MicrometerRelayObserver(MeterRegistry registry) {
        this.published = Counter.builder("eventbus.relay.published")
            .description("Events the broker acknowledged")
            .withRegistry(registry);
        this.failures = Counter.builder("eventbus.relay.failures")
            .description("Events the relay failed to send")
            .withRegistry(registry);
        this.latency = Timer.builder("eventbus.relay.latency")
            .description("Time from publishing an event to the broker's acknowledgement")
            .publishPercentileHistogram()
            .withRegistry(registry);
    }

    @Override
    public void published(String topic, Duration sinceOccurred) {
        this.published.withTag("topic", topic).increment();
        this.latency.withTag("topic", topic).record(sinceOccurred);
    }

    @Override
    public void failed(String topic, Throwable failure) {
        this.failures.withTags("topic", topic, "exception", failure.getClass().getSimpleName()).increment();
    }

    @Override
    public void parked(String topic, Throwable cause) {
        failed(topic, cause);
    }

}
