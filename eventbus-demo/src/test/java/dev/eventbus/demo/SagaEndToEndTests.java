package dev.eventbus.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.eventbus.testsupport.JavaProcess;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Both sample services against one real KRaft broker and real PostgreSQL databases.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SagaEndToEndTests {

    static final List<String> TEST_ARGUMENTS = List.of("--spring.main.banner-mode=off",
            "--spring.kafka.consumer.properties.session.timeout.ms=6000",
            "--spring.kafka.consumer.properties.heartbeat.interval.ms=1000");

    DemoEnvironment environment;

    HikariDataSource inventoryDataSource;

    final ServiceClient client = new ServiceClient();

    @BeforeAll
    void start() {
        this.environment = DemoEnvironment.start(0, 0, TEST_ARGUMENTS);
        this.inventoryDataSource = this.environment.inventoryDatabase().createDataSource();
    }

    @AfterAll
    void stop() {
        if (this.inventoryDataSource != null) {
            this.inventoryDataSource.close();
        }
        if (this.environment != null) {
            this.environment.close();
        }
    }

    @Test
    @Order(1)
    void orderIsConfirmedRejectedForLackOfStockAndCancelledWithItsStockReleased() {
        SagaScenario.Outcome outcome = new SagaScenario(this.environment.orderServiceUrl(),
                this.environment.inventoryServiceUrl(), System.out).run();

        assertThat(outcome.confirmed().status()).isEqualTo("CONFIRMED");
        assertThat(outcome.rejected().status()).isEqualTo("REJECTED");
        assertThat(outcome.rejected().reason()).isEqualTo("only 1 of LAMP-1 available, 5 requested");
        assertThat(outcome.cancelled().status()).isEqualTo("CANCELLED");
        assertThat(outcome.stock()).containsExactly(new SagaScenario.StockView("BOOK-1", 8, 2),
                new SagaScenario.StockView("LAMP-1", 1, 0), new SagaScenario.StockView("MUG-1", 5, 0));
    }

    @Test
    void badRequestsGetProblemDetailsAndPublishNothing() {
        int outboxBefore = orderOutboxRows();
        String orders = this.environment.orderServiceUrl() + "/orders";

        ServiceClient.Response unknownSku = this.client.post(orders,
                Map.of("customer", "ada", "sku", "NOPE-1", "quantity", 1));
        ServiceClient.Response zeroQuantity = this.client.post(orders,
                Map.of("customer", "ada", "sku", "BOOK-1", "quantity", 0));
        ServiceClient.Response malformed = this.client.post(orders, "{\"customer\": \"ada\", ");
        ServiceClient.Response unknownStock = this.client.get(this.environment.inventoryServiceUrl() + "/stock/NOPE-1");

        assertThat(unknownSku.status()).isEqualTo(422);
        assertThat(unknownSku.body()).contains("\"detail\":\"Unknown sku NOPE-1\"");
        assertThat(zeroQuantity.status()).isEqualTo(400);
        assertThat(zeroQuantity.body()).contains("\"status\":400");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body()).contains("\"status\":400");
        assertThat(unknownStock.status()).isEqualTo(404);
        assertThat(unknownStock.body()).contains("Unknown sku NOPE-1");
        assertThat(orderOutboxRows()).isEqualTo(outboxBefore);
    }

    @Test
    void eventbusEndpointIsReadableButItsReplayIsUnreachableUnlessAccessIsGranted() {
        String endpoint = this.environment.inventoryServiceUrl() + "/actuator/eventbus";

        ServiceClient.Response status = this.client.get(endpoint);
        ServiceClient.Response replay = this.client.post(endpoint, Map.of("topic", "orders"));

        assertThat(status.status()).isEqualTo(200);
        assertThat(status.body()).contains("\"group\":\"inventory-service\"").contains("\"pending\"");
        assertThat(replay.status()).isBetween(400, 499);
        assertThat(replay.body()).doesNotContain("replayed");
    }

    @Test
    void inventoryKilledAfterReservingAndBeforeItsOffsetCommitReservesOnce() {
        this.environment.inventoryService().close();
        List<String> arguments = new ArrayList<>(
                this.environment.arguments(this.environment.inventoryDatabase(), 0));
        arguments.add("--logging.level.dev.eventbus=info");
        JavaProcess crashing = JavaProcess.start(CrashingInventoryService.class, "384m", arguments);
        try {
            crashing.awaitOutput("Started CrashingInventoryService", Duration.ofSeconds(90));
            int reservedBefore = reservedBooks();

            String orderId = placeBooks(3);
            await().atMost(Duration.ofSeconds(60)).until(() -> !crashing.isAlive());
            assertThat(reservedBooks()).as("reserved before the crash").isEqualTo(reservedBefore + 3);

            ConfigurableApplicationContext restarted = this.environment.startInventoryService(0);

            await().atMost(Duration.ofSeconds(60))
                .until(() -> orderStatus(orderId).equals("CONFIRMED"));
            await().atMost(Duration.ofSeconds(30)).until(() -> restarted.getBean(MeterRegistry.class)
                .find("eventbus.consumer.events")
                .tag("outcome", "duplicate")
                .counters()
                .stream()
                .mapToDouble(Counter::count)
                .sum() >= 1);
            assertThat(reservedBooks()).isEqualTo(reservedBefore + 3);
            assertThat(inventoryJdbc().queryForObject("SELECT COUNT(*) FROM reservation WHERE order_id = ?::uuid",
                    Integer.class, orderId)).isOne();
        }
        finally {
            crashing.kill();
        }
    }

    private String placeBooks(int quantity) {
        ServiceClient.Response response = this.client.post(this.environment.orderServiceUrl() + "/orders",
                Map.of("customer", "crash-test", "sku", "BOOK-1", "quantity", quantity));
        assertThat(response.status()).isEqualTo(201);
        return response.as(SagaScenario.OrderView.class).id().toString();
    }

    private String orderStatus(String orderId) {
        return this.client.get(this.environment.orderServiceUrl() + "/orders/" + orderId)
            .as(SagaScenario.OrderView.class)
            .status();
    }

    private int reservedBooks() {
        return inventoryJdbc().queryForObject("SELECT reserved FROM stock WHERE sku = 'BOOK-1'", Integer.class);
    }

    private int orderOutboxRows() {
        return this.environment.orderService().getBean(JdbcTemplate.class)
            .queryForObject("SELECT COUNT(*) FROM eventbus_outbox", Integer.class);
    }

    private JdbcTemplate inventoryJdbc() {
        return new JdbcTemplate(this.inventoryDataSource);
    }

}
