package dev.eventbus.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.eventbus.consumer.ConsumerObserver;
import dev.eventbus.consumer.ConsumerOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Records consumer outcomes as {@code eventbus.consumer.events} (tags group, type, outcome) and
 * handler run times as {@code eventbus.consumer.handler.duration} (tags group, type) with
 * histogram buckets. The meters are looked up once per tag combination, not per record, and
 * looked up again once the registry removed them.
 */
public class MicrometerConsumerObserver implements ConsumerObserver {

    private final Meter.MeterProvider<Counter> events;

    private final Meter.MeterProvider<Timer> handlerDuration;

    private final Map<OutcomeKey, Counter> counters = new ConcurrentHashMap<>();

    private final Map<HandlerKey, Timer> timers = new ConcurrentHashMap<>();

    /**
     * Creates the observer.
     * @param registry where the meters are registered
     */
    public MicrometerConsumerObserver(MeterRegistry registry) {
        this.events = Counter.builder("eventbus.consumer.events")
            .description("Records received by eventbus consumers, by outcome")
            .withRegistry(registry);
        this.handlerDuration = Timer.builder("eventbus.consumer.handler.duration")
            .description("Time @EventHandler methods take")
            .publishPercentileHistogram()
            .withRegistry(registry);
        registry.config().onMeterRemoved((meter) -> {
            this.counters.values().remove(meter);
            this.timers.values().remove(meter);
        });
    }

    @Override
    public void outcome(String group, String type, ConsumerOutcome outcome) {
        this.counters.computeIfAbsent(new OutcomeKey(group, type, outcome), this::counter).increment();
    }

    @Override
    public void handlerFinished(String group, String type, Duration duration) {
        this.timers.computeIfAbsent(new HandlerKey(group, type), this::timer).record(duration);
    }

    private Counter counter(OutcomeKey key) {
        return this.events.withTags("group", key.group(), "type", key.type(), "outcome", key.outcome().tagValue());
    }

    private Timer timer(HandlerKey key) {
        return this.handlerDuration.withTags("group", key.group(), "type", key.type());
    }

    private record OutcomeKey(String group, String type, ConsumerOutcome outcome) {
    }

    private record HandlerKey(String group, String type) {
    }

}
