package dev.eventbus.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.eventbus.relay.RelayObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Records what the relay sends: {@code eventbus.relay.published} (tag topic),
 * {@code eventbus.relay.failures} (tags topic, exception) and {@code eventbus.relay.latency}
 * (tag topic), the time from publication to the broker's acknowledgement, with histogram buckets.
 * The meters of a published event are looked up once per topic, not per event, and looked up
 * again once the registry removed them.
 */
public class MicrometerRelayObserver implements RelayObserver {

    private final Meter.MeterProvider<Counter> published;

    private final Meter.MeterProvider<Counter> failures;

    private final Meter.MeterProvider<Timer> latency;

    private final Map<String, TopicMeters> topics = new ConcurrentHashMap<>();

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
        registry.config()
            .onMeterRemoved((meter) -> this.topics.values()
                .removeIf((meters) -> meters.published() == meter || meters.latency() == meter));
    }

    @Override
    public void published(String topic, Duration sinceOccurred) {
        TopicMeters meters = this.topics.computeIfAbsent(topic, this::topicMeters);
        meters.published().increment();
        meters.latency().record(sinceOccurred);
    }

    @Override
    public void failed(String topic, Throwable failure) {
        this.failures.withTags("topic", topic, "exception", failure.getClass().getSimpleName()).increment();
    }

    @Override
    public void parked(String topic, Throwable cause) {
        failed(topic, cause);
    }

    private TopicMeters topicMeters(String topic) {
        return new TopicMeters(this.published.withTag("topic", topic), this.latency.withTag("topic", topic));
    }

    private record TopicMeters(Counter published, Timer latency) {
    }

}
