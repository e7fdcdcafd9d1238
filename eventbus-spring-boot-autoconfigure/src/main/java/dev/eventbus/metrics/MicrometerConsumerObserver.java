package dev.eventbus.metrics;

import java.time.Duration;

import dev.eventbus.consumer.ConsumerObserver;
import dev.eventbus.consumer.ConsumerOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Records consumer outcomes as {@code eventbus.consumer.events} (tags group, type, outcome) and
 * handler run times as {@code eventbus.consumer.handler.duration} (tags group, type) with
 * histogram buckets.
 */
public class MicrometerConsumerObserver implements ConsumerObserver {

    private final MeterRegistry registry;

    /**
     * Creates the observer.
     * @param registry where the meters are registered
     */
    public MicrometerConsumerObserver(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void outcome(String group, String type, ConsumerOutcome outcome) {
        Counter.builder("eventbus.consumer.events")
            .description("Records received by eventbus consumers, by outcome")
            .tag("group", group)
            .tag("type", type)
            .tag("outcome", outcome.tagValue())
            .register(this.registry)
            .increment();
    }

    @Override
    public void handlerFinished(String group, String type, Duration duration) {
        Timer.builder("eventbus.consumer.handler.duration")
            .description("Time @EventHandler methods take")
            .tag("group", group)
            .tag("type", type)
            .publishPercentileHistogram()
            .register(this.registry)
            .record(duration);
    }

}
