package dev.eventbus.samples.inventory;

import java.util.UUID;

import dev.eventbus.test.EventScenario;
import dev.eventbus.test.PublishedEvents;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inventory's answers to placed and cancelled orders, with eventbus's {@code local} transport
 * on PostgreSQL: no broker.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = { "spring.config.name=inventory-service", "eventbus.transport=local" })
class InventoryServiceTests {

    private static final TestDatabase DATABASE = TestDatabases.embeddedPostgres();

    @Autowired
    EventScenario scenario;

    @Autowired
    PublishedEvents publishedEvents;

    @Autowired
    StockService stock;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        DATABASE.springProperties().forEach((name, value) -> registry.add(name, () -> value));
    }

    @AfterAll
    static void dropDatabase() {
        DATABASE.close();
    }

    @Test
    void placedOrderWithStockIsReservedAndAnswered() {
        UUID orderId = UUID.randomUUID();

        InventoryReserved reserved = this.scenario.publish(new OrderPlaced(orderId, "alice", "BOOK-1", 2))
            .andWaitForPublished(InventoryReserved.class, orderId.toString())
            .event();

        assertThat(reserved).isEqualTo(new InventoryReserved(orderId, "BOOK-1", 2));
        assertThat(this.stock.find("BOOK-1")).hasValueSatisfying((book) -> assertThat(book.reserved()).isEqualTo(2));
    }

    @Test
    void placedOrderBeyondTheStockIsRefusedWithTheReason() {
        UUID orderId = UUID.randomUUID();

        InventoryReservationFailed failed = this.scenario.publish(new OrderPlaced(orderId, "bob", "LAMP-1", 3))
            .andWaitForPublished(InventoryReservationFailed.class, orderId.toString())
            .event();

        assertThat(failed.reason()).isEqualTo("only 1 of LAMP-1 available, 3 requested");
        assertThat(this.publishedEvents.ofType(InventoryReserved.class).withKey(orderId.toString()).isEmpty())
            .isTrue();
    }

    @Test
    void cancelledOrderReleasesItsReservationOnce() {
        UUID orderId = UUID.randomUUID();
        this.scenario.publish(new OrderPlaced(orderId, "carol", "MUG-1", 1))
            .andWaitForPublished(InventoryReserved.class, orderId.toString());

        StockReleased released = this.scenario.publish(new OrderCancelled(orderId))
            .andWaitForPublished(StockReleased.class, orderId.toString())
            .event();

        assertThat(released).isEqualTo(new StockReleased(orderId, "MUG-1", 1));
        this.scenario.publish(new OrderCancelled(orderId)).andWaitForHandled(OrderCancelled.class,
                orderId.toString());
        assertThat(this.publishedEvents.ofType(StockReleased.class).withKey(orderId.toString()).size()).isOne();
    }

}
