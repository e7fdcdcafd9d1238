package dev.eventbus.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.eventbus.rabbitmq.RabbitOutboxTransport;
import dev.eventbus.transport.OutboxTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both sample services on the machine's RabbitMQ (127.0.0.1:5672) instead of Kafka, switched by
 * {@code eventbus.transport=rabbitmq} alone; the topics get names of this run, deleted afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RabbitSagaEndToEndTests {

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private final String orders = "orders-" + this.run;

    private final String inventory = "inventory-" + this.run;

    private DemoEnvironment environment;

    @BeforeAll
    void start() {
        List<String> arguments = new ArrayList<>(SagaEndToEndTests.TEST_ARGUMENTS);
        arguments.add("--eventbus.transport=rabbitmq");
        arguments.add("--spring.rabbitmq.host=127.0.0.1");
        for (String type : List.of("order.placed", "order.cancelled")) {
            arguments.add("--eventbus.topics[" + type + "]=" + this.orders);
        }
        for (String type : List.of("inventory.reserved", "inventory.reservation-failed", "stock.released")) {
            arguments.add("--eventbus.topics[" + type + "]=" + this.inventory);
        }
        this.environment = DemoEnvironment.start(0, 0, arguments);
    }

    @AfterAll
    void stop() {
        if (this.environment != null) {
            this.environment.close();
        }
        CachingConnectionFactory connectionFactory = new CachingConnectionFactory("127.0.0.1", 5672);
        try {
            RabbitAdmin admin = new RabbitAdmin(connectionFactory);
            for (String[] topicAndGroup : new String[][] { { this.orders, "inventory-service" },
                    { this.inventory, "order-service" } }) {
                for (int partition = 0; partition < 16; partition++) {
                    admin.deleteQueue(topicAndGroup[0] + "." + topicAndGroup[1] + "." + partition);
                }
                admin.deleteQueue(topicAndGroup[0] + "-dlt");
                admin.deleteExchange(topicAndGroup[0]);
            }
        }
        finally {
            connectionFactory.destroy();
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
            .getProperty("eventbus.transport")).isEqualTo("rabbitmq");
        assertThat(this.environment.orderService().getBeansOfType(OutboxTransport.class)
            .values()).singleElement().isInstanceOf(RabbitOutboxTransport.class);
    }

}
