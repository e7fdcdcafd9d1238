package dev.eventbus.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.eventbus.testsupport.KafkaBrokerProcess;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;
import dev.eventbus.testsupport.TestKafka;
import dev.eventbus.testapp.OrderPlaced;
import dev.eventbus.testapp.OrderService;
import dev.eventbus.testapp.TestApplication;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker, a separate process, is killed while the application keeps committing business
 * transactions, and started again on the same data: the backlog drains and nothing is lost.
 */
class BrokerOutageIntegrationTests {

    @Test
    void backlogBuiltWhileTheBrokerIsDownDrainsWhenItReturns() throws InterruptedException {
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start();
                TestDatabase database = TestDatabases.embeddedPostgres();
                ConfigurableApplicationContext context = application(database, broker)) {
            String topic = context.getEnvironment().getProperty("eventbus.topics[test.order-placed]");
            OrderService orders = context.getBean(OrderService.class);
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            List<String> eventIds = new ArrayList<>();
            eventIds.add(orders.place(new OrderPlaced("before", 0)).toString());
            await().atMost(Duration.ofSeconds(30)).until(() -> pending(jdbc) == 0);

            broker.kill();
            for (int sequence = 1; sequence <= 200; sequence++) {
                UUID id = orders.place(new OrderPlaced("key-" + (sequence % 10), sequence));
                eventIds.add(id.toString());
            }
            Thread.sleep(Duration.ofSeconds(8).toMillis());
            assertThat(pending(jdbc)).as("events waiting while the broker is down").isEqualTo(200);

            broker.restart();
            await().atMost(Duration.ofSeconds(60)).until(() -> pending(jdbc) == 0);

            List<ConsumerRecord<String, byte[]>> records = TestKafka.readUntil(broker.bootstrapServers(), topic,
                    (read) -> AbstractOutboxRelayIntegrationTests.eventIds(read).containsAll(eventIds),
                    Duration.ofSeconds(60));
            assertThat(AbstractOutboxRelayIntegrationTests.eventIds(records)).containsAll(eventIds);
        }
    }

    private static int pending(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM eventbus_outbox WHERE published_at IS NULL", Integer.class);
    }

    private static ConfigurableApplicationContext application(TestDatabase database, KafkaBrokerProcess broker) {
        Map<String, Object> properties = new HashMap<>(database.springProperties());
        properties.put("spring.kafka.bootstrap-servers", broker.bootstrapServers());
        properties.put("spring.kafka.producer.properties.delivery.timeout.ms", "4000");
        properties.put("spring.kafka.producer.properties.request.timeout.ms", "2000");
        properties.put("spring.kafka.producer.properties.max.block.ms", "2000");
        properties.put("eventbus.topics[test.order-placed]", TestKafka.uniqueTopic("outage"));
        properties.put("eventbus.outbox.relay.poll-interval", "200ms");
        return new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE)
            .properties(properties)
            .run();
    }

}
