package dev.eventbus.outbox;

import java.time.Clock;
import java.util.Map;

import dev.eventbus.testapp.OrderPlaced;
import dev.eventbus.wire.EventTypeRegistry;
import dev.eventbus.wire.TopicRouter;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OutboxEventFactoryTests {

    private final OutboxEventFactory factory = new OutboxEventFactory(new EventTypeRegistry(),
            new TopicRouter(Map.of()), JsonMapper.builder().build(), "order-service", 2_000, Clock.systemUTC(),
            ObservationRegistry.NOOP);

    @Test
    void sizeLimitCountsTheKeyAndTheAttributesBesidesTheJson() {
        OrderPlaced event = new OrderPlaced("order-1", 1, "x".repeat(1_600));

        assertThat(this.factory.create(event).payload()).hasSizeGreaterThan(1_600);
        assertThatIllegalArgumentException().isThrownBy(() -> this.factory.create(event, "k".repeat(300)))
            .withMessageContaining("with its key and headers")
            .withMessageContaining("eventbus.outbox.max-payload-size (2000 bytes)");
    }

}
