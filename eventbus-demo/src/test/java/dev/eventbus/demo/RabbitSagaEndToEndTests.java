package dev.eventbus.demo;

import java.util.List;

import dev.eventbus.rabbitmq.RabbitOutboxTransport;
import dev.eventbus.transport.OutboxTransport;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * The saga on the machine's RabbitMQ (127.0.0.1:5672).
 */
class RabbitSagaEndToEndTests extends BrokerSagaEndToEndTests {

    @Override
    List<String> transportArguments() {
        return List.of("--eventbus.transport=rabbitmq", "--spring.rabbitmq.host=127.0.0.1");
    }

    @Override
    Class<? extends OutboxTransport> transportClass() {
        return RabbitOutboxTransport.class;
    }

    @Override
    void deleteTopics() {
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

}
