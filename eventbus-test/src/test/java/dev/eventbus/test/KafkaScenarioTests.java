package dev.eventbus.test;

import java.time.Duration;
import java.util.UUID;

import dev.eventbus.test.app.OrderPlaced;
import dev.eventbus.test.app.ShopApplication;
import dev.eventbus.test.app.StockReserved;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;
import dev.eventbus.testsupport.TestKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same test support with a real broker: Kafka (embedded KRaft) and PostgreSQL.
 */
@SpringBootTest(classes = ShopApplication.class, properties = { "spring.application.name=shop",
        "eventbus.consumer.retry.initial-backoff=10ms" })
class KafkaScenarioTests {

    private static final TestDatabase DATABASE = TestDatabases.embeddedPostgres();

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @Autowired
    EventScenario scenario;

    @Autowired
    HandledEvents handledEvents;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        DATABASE.springProperties().forEach((name, value) -> registry.add(name, () -> value));
        registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
        registry.add("eventbus.transport", () -> "kafka");
        registry.add("eventbus.topics[shop.order-placed]", () -> "orders-" + RUN);
        registry.add("eventbus.topics[shop.stock-reserved]", () -> "stock-" + RUN);
    }

    @AfterAll
    static void dropDatabase() {
        DATABASE.close();
    }

    @Test
    void publishedEventIsHandledThroughTheBrokerAndTheReactionIsPublished() {
        RunningScenario running = this.scenario.within(Duration.ofSeconds(60))
            .publish(new OrderPlaced("order-k", "sku-1", 3));

        HandledEvent<OrderPlaced> handled = running.andWaitForHandled(OrderPlaced.class, "order-k", "inventory");
        StockReserved reserved = running.andWaitForPublished(StockReserved.class, "order-k").event();

        assertThat(reserved).isEqualTo(new StockReserved("order-k", 3));
        assertThat(handled.topic()).isEqualTo("orders-" + RUN);
        assertThat(this.handledEvents.processed(OrderPlaced.class).withKey("order-k").size()).isOne();
    }

}
