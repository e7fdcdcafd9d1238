package dev.eventbus.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.eventbus.transport.OutboxTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both sample services on another broker than Kafka, switched by {@code eventbus.transport} alone;
 * the topics get names of this run, whose exchanges, queues or streams a subclass deletes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BrokerSagaEndToEndTests {

    final String orders = "orders-" + UUID.randomUUID().toString().substring(0, 8);

    final String inventory = "inventory-" + UUID.randomUUID().toString().substring(0, 8);

    private DemoEnvironment environment;

    /**
     * The transport's name and connection arguments.
     * @return {@code --eventbus.transport=…} and what the broker needs
     */
    abstract List<String> transportArguments();

    /**
     * The relay's transport class on that broker.
     * @return the class
     */
    abstract Class<? extends OutboxTransport> transportClass();

    /**
     * Deletes what the services declared on the broker for {@link #orders} and {@link #inventory}.
     */
    abstract void deleteTopics() throws Exception;

    @BeforeAll
    void start() {
        List<String> arguments = new ArrayList<>(SagaEndToEndTests.TEST_ARGUMENTS);
        arguments.addAll(transportArguments());
        for (String type : List.of("order.placed", "order.cancelled")) {
            arguments.add("--eventbus.topics[" + type + "]=" + this.orders);
        }
        for (String type : List.of("inventory.reserved", "inventory.reservation-failed", "stock.released")) {
            arguments.add("--eventbus.topics[" + type + "]=" + this.inventory);
        }
        this.environment = DemoEnvironment.start(0, 0, arguments);
    }

    @AfterAll
    void stop() throws Exception {
        if (this.environment != null) {
            this.environment.close();
        }
        deleteTopics();
    }

    @Test
    void orderIsConfirmedRejectedForLackOfStockAndCancelledWithItsStockReleased() {
        SagaScenario.Outcome outcome = new SagaScenario(this.environment.orderServiceUrl(),
                this.environment.inventoryServiceUrl(), System.out).run();

        assertThat(outcome.confirmed().status()).isEqualTo("CONFIRMED");
        assertThat(outcome.rejected().status()).isEqualTo("REJECTED");
        assertThat(outcome.rejected().reason()).isEqualTo("only 1 of LAMP-1 available, 5 requested");
        assertThat(outcome.cancelled().status()).isEqualTo("CANCELLED");
        assertThat(outcome.stock()).containsExactly(new SagaScenario.StockView("BOOK-1", 8, 2),
                new SagaScenario.StockView("LAMP-1", 1, 0), new SagaScenario.StockView("MUG-1", 5, 0));
        assertThat(transportArguments()).contains("--eventbus.transport="
                + this.environment.orderService().getBean(Environment.class).getProperty("eventbus.transport"));
        assertThat(this.environment.orderService().getBeansOfType(OutboxTransport.class).values()).singleElement()
            .isInstanceOf(transportClass());
    }

}
