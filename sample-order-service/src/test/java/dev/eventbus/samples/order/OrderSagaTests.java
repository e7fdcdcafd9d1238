package dev.eventbus.samples.order;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import dev.eventbus.samples.inventory.InventoryServiceApplication;
import dev.eventbus.test.EventScenario;
import dev.eventbus.test.PublishedEvents;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The saga step "order placed, inventory answers" with the order and the inventory service in one
 * JVM on one database, over eventbus's {@code local} transport: no broker. Both services' handlers
 * run in the group of this application.
 */
@SpringBootTest(classes = { OrderServiceApplication.class, InventoryServiceApplication.class,
        OrderSagaTests.InventorySchema.class }, webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = { "spring.config.name=order-service", "eventbus.transport=local" })
class OrderSagaTests {

    private static final TestDatabase DATABASE = TestDatabases.embeddedPostgres();

    @Autowired
    OrderService orders;

    @Autowired
    EventScenario scenario;

    @Autowired
    PublishedEvents publishedEvents;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        DATABASE.springProperties().forEach((name, value) -> registry.add(name, () -> value));
    }

    @AfterAll
    static void dropDatabase() {
        DATABASE.close();
    }

    @Test
    void placedOrderIsConfirmedOnceTheInventoryReservedItsStock() {
        AtomicReference<Order> placed = new AtomicReference<>();

        this.scenario.when(() -> placed.set(this.orders.place("alice", "BOOK-1", 2)))
            .andWaitForHandled(InventoryReserved.class, placed.get().getId().toString());

        UUID id = placed.get().getId();
        assertThat(this.publishedEvents.ofType(OrderPlaced.class).withKey(id.toString()).single().event())
            .isEqualTo(new OrderPlaced(id, "alice", "BOOK-1", 2));
        assertThat(this.orders.find(id).getStatus()).isEqualTo(OrderStatus.CONFIRMED);
    }

    @Test
    void placedOrderIsRejectedWithTheInventorysReasonWhenStockIsShort() {
        AtomicReference<Order> placed = new AtomicReference<>();

        this.scenario.when(() -> placed.set(this.orders.place("bob", "LAMP-1", 5)))
            .andWaitForHandled(InventoryReservationFailed.class, placed.get().getId().toString());

        Order order = this.orders.find(placed.get().getId());
        assertThat(order.getStatus()).isEqualTo(OrderStatus.REJECTED);
        assertThat(order.getReason()).isEqualTo("only 1 of LAMP-1 available, 5 requested");
    }

    /**
     * The inventory's tables, migrated beside the order service's with a history table of their own.
     */
    @TestConfiguration(proxyBeanMethods = false)
    static class InventorySchema {

        @Bean
        InitializingBean inventoryTables(DataSource dataSource) {
            return () -> Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/inventory")
                .table("inventory_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
        }

    }

}
