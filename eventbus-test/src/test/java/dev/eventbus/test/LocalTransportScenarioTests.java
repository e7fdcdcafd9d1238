package dev.eventbus.test;

import java.time.Duration;

import dev.eventbus.consumer.ConsumerOutcome;
import dev.eventbus.test.app.OrderPlaced;
import dev.eventbus.test.app.ShopApplication;
import dev.eventbus.test.app.StockReserved;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A user's test of a whole reaction with the {@code local} transport on H2: no broker.
 */
@SpringBootTest(classes = ShopApplication.class, properties = { "eventbus.transport=local",
        "spring.datasource.url=jdbc:h2:mem:scenario;DB_CLOSE_DELAY=-1", "spring.application.name=shop",
        "eventbus.consumer.retry.initial-backoff=10ms" })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalTransportScenarioTests {

    @Autowired
    EventScenario scenario;

    @Autowired
    ShopApplication.Orders orders;

    @Autowired
    PublishedEvents publishedEvents;

    @Autowired
    HandledEvents handledEvents;

    @Test
    @Order(1)
    void publishedEventIsHandledAndTheReactionIsPublished() {
        StockReserved reserved = this.scenario.when(() -> this.orders.place("order-1", "sku-1", 2))
            .andWaitForPublished(StockReserved.class, "order-1")
            .event();

        assertThat(reserved).isEqualTo(new StockReserved("order-1", 2));
        HandledEvent<OrderPlaced> handled = this.handledEvents.processed(OrderPlaced.class).withKey("order-1").single();
        assertThat(handled.group()).isEqualTo("inventory");
        assertThat(handled.event()).isEqualTo(new OrderPlaced("order-1", "sku-1", 2));
        assertThat(handled.topic()).isEqualTo("shop.order-placed");
    }

    @Test
    @Order(2)
    void recordsOfEarlierTestsAreGoneAndPublishedEventsCarryTheirMetadata() {
        assertThat(this.publishedEvents.ofType(OrderPlaced.class).isEmpty()).isTrue();
        assertThat(this.handledEvents.ofType(OrderPlaced.class).isEmpty()).isTrue();

        HandledEvent<OrderPlaced> handled = this.scenario.publish(new OrderPlaced("order-2", "sku-2", 5))
            .andWaitForHandled(OrderPlaced.class, "order-2", "inventory");

        PublishedEvent<OrderPlaced> published = this.publishedEvents.ofType(OrderPlaced.class).single();
        assertThat(published.id()).isEqualTo(handled.id());
        assertThat(published.key()).isEqualTo("order-2");
        assertThat(published.type()).isEqualTo("shop.order-placed");
        assertThat(published.version()).isOne();
        assertThat(published.source()).isEqualTo("shop");
        assertThat(published.topic()).isEqualTo("shop.order-placed");
        assertThat(this.publishedEvents.ofType(StockReserved.class).withKey("order-2").single().version())
            .isEqualTo(2);
    }

    @Test
    @Order(3)
    void rolledBackTransactionRecordsNothing() {
        assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> this.orders.placeThenFail("order-3"));
        this.orders.place("order-3b", "sku-1", 1);

        this.scenario.when(() -> { }).andWaitForPublished(StockReserved.class, "order-3b");

        assertThat(this.publishedEvents.ofType(OrderPlaced.class).events())
            .containsExactly(new OrderPlaced("order-3b", "sku-1", 1));
    }

    @Test
    @Order(4)
    void waitingForAnEventThatIsDeadLetteredFailsAtOnceWithTheCause() {
        RunningScenario running = this.scenario.publish(new OrderPlaced("order-4", "broken", 1));

        assertThatExceptionOfType(AssertionError.class)
            .isThrownBy(() -> running.andWaitForHandled(OrderPlaced.class, "order-4"))
            .withMessageContaining("dead-lettered by group inventory")
            .havingCause()
            .withMessage("no such sku: broken");
        HandledEvent<OrderPlaced> deadLetter = running.andWaitForDeadLetter(OrderPlaced.class, "order-4");
        assertThat(deadLetter.cause()).isInstanceOf(IllegalArgumentException.class);
        assertThat(this.handledEvents.ofType(OrderPlaced.class).withKey("order-4").stream()
            .map(HandledEvent::outcome)).containsExactly(ConsumerOutcome.RETRIED, ConsumerOutcome.RETRIED,
                    ConsumerOutcome.DEAD_LETTERED);
    }

    @Test
    @Order(5)
    void waitingForWhatNeverHappensFailsAfterTheTimeoutNamingWhatWasSeen() {
        RunningScenario running = this.scenario.within(Duration.ofMillis(300))
            .publish(new OrderPlaced("order-5", "sku-1", 1));

        assertThatExceptionOfType(AssertionError.class)
            .isThrownBy(() -> running.andWaitForPublished(StockReserved.class, "order-unknown"))
            .withMessageContaining("No StockReserved matching the condition was published within PT0.3S");
    }

}
