package dev.eventbus.metrics;

import java.time.Duration;

import dev.eventbus.consumer.ConsumerObserver;
import dev.eventbus.consumer.ConsumerOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Records consumer outcomes as {@code eventbus.consumer.events} (tags group, type, outcome) and
 * handler run times as {@code eventbus.consumer.handler.duration} (tags group, type) with
 * histogram buckets.
 */
public class MicrometerConsumerObserver implements ConsumerObserver {

    private final Meter.MeterProvider<Counter> events;

    private final Meter.MeterProvider<Timer> handlerDuration;

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
    }

    @Override
    public void outcome(String group, String type, ConsumerOutcome outcome) {
        this.events.withTags("group", group, "type", type, "outcome", outcome.tagValue()).increment();
    }

    @Override
    public void handlerFinished(String group, String type, Duration duration) {
        this.handlerDuration.withTags("group", group, "type", type).record(duration);
    }

}
