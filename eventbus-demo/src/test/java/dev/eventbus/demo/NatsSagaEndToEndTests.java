package dev.eventbus.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.eventbus.nats.NatsOutboxTransport;
import dev.eventbus.transport.OutboxTransport;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both sample services on the machine's NATS server (127.0.0.1:4222, JetStream) instead of Kafka, switched by
 * {@code eventbus.transport=nats} alone; the topics get names of this run, their streams deleted afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NatsSagaEndToEndTests {

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private final String orders = "orders-" + this.run;

    private final String inventory = "inventory-" + this.run;

    private DemoEnvironment environment;

    @BeforeAll
    void start() {
        List<String> arguments = new ArrayList<>(SagaEndToEndTests.TEST_ARGUMENTS);
        arguments.add("--eventbus.transport=nats");
        arguments.add("--eventbus.nats.url=nats://127.0.0.1:4222");
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
        try (Connection connection = Nats.connect("nats://127.0.0.1:4222")) {
            JetStreamManagement management = connection.jetStreamManagement();
            for (String topic : List.of(this.orders, this.inventory)) {
                for (String stream : List.of(topic, topic + "-dlt")) {
                    try {
                        management.deleteStream(stream);
                    }
                    catch (JetStreamApiException ex) {
                        // not created
                    }
                }
            }
        }
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
        assertThat(this.environment.orderService().getBean(Environment.class)
            .getProperty("eventbus.transport")).isEqualTo("nats");
        assertThat(this.environment.orderService().getBeansOfType(OutboxTransport.class)
            .values()).singleElement().isInstanceOf(NatsOutboxTransport.class);
    }

}
