package dev.eventbus.metrics;

import java.time.Duration;

import dev.eventbus.consumer.ConsumerOutcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MicrometerObserversTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void consumerMetersCountPerTagsAndAreRegisteredAgainAfterTheRegistryRemovedThem() {
        MicrometerConsumerObserver observer = new MicrometerConsumerObserver(this.registry);
        observer.outcome("billing", "order.placed", ConsumerOutcome.PROCESSED);
        observer.outcome("billing", "order.placed", ConsumerOutcome.PROCESSED);
        observer.outcome("billing", "order.placed", ConsumerOutcome.DUPLICATE);
        observer.handlerFinished("billing", "order.placed", Duration.ofMillis(3));

        assertThat(processed()).isEqualTo(2);
        assertThat(this.registry.get("eventbus.consumer.events").tag("outcome", "duplicate").counter().count())
            .isEqualTo(1);

        this.registry.clear();
        observer.outcome("billing", "order.placed", ConsumerOutcome.PROCESSED);
        observer.handlerFinished("billing", "order.placed", Duration.ofMillis(3));

        assertThat(processed()).isEqualTo(1);
        assertThat(this.registry.get("eventbus.consumer.handler.duration").timer().count()).isEqualTo(1);
    }

    @Test
    void relayMetersCountPerTopicAndAreRegisteredAgainAfterTheRegistryRemovedThem() {
        MicrometerRelayObserver observer = new MicrometerRelayObserver(this.registry);
        observer.published("orders", Duration.ofMillis(5));
        observer.published("orders", Duration.ofMillis(7));
        observer.published("payments", Duration.ofMillis(5));

        assertThat(this.registry.get("eventbus.relay.published").tag("topic", "orders").counter().count()).isEqualTo(2);
        assertThat(this.registry.get("eventbus.relay.latency").tag("topic", "payments").timer().count()).isEqualTo(1);

        this.registry.clear();
        observer.published("orders", Duration.ofMillis(5));

        assertThat(this.registry.get("eventbus.relay.published").tag("topic", "orders").counter().count()).isEqualTo(1);
        assertThat(this.registry.get("eventbus.relay.latency").tag("topic", "orders").timer().count()).isEqualTo(1);
    }

    private double processed() {
        return this.registry.get("eventbus.consumer.events")
            .tags("group", "billing", "type", "order.placed", "outcome", "processed")
            .counter()
            .count();
    }

}
