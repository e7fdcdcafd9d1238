package dev.eventbus.consumer;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.eventbus.consumertest.ConsumerTestApplication;
import dev.eventbus.consumertest.OrderHandlers;
import dev.eventbus.testsupport.JavaProcess;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;
import dev.eventbus.testsupport.TestKafka;
import dev.eventbus.testapp.OrderPlaced;
import dev.eventbus.testapp.OrderService;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A consumer JVM dies right after its handler transaction committed and before the offset commit.
 * The restarted consumer receives the record again and skips it as a duplicate.
 */
class ConsumerCrashIntegrationTests {

    @Test
    void recordRedeliveredAfterACrashBetweenCommitAndOffsetCommitIsSkipped() {
        String topic = TestKafka.uniqueTopic("crash");
        TestKafka.createTopic(TestKafka.bootstrapServers(), topic, 1);
        try (TestDatabase database = TestDatabases.embeddedPostgres();
                ConfigurableApplicationContext publisher = ConsumerTestSupport.startPublisher(database, topic)) {
            JavaProcess crashingConsumer = JavaProcess.start(ConsumerTestApplication.class, "256m",
                    ConsumerTestSupport.consumerArguments(database, topic, "crash", 1));
            crashingConsumer.awaitOutput("Started ConsumerTestApplication", Duration.ofSeconds(90));

            UUID eventId = publisher.getBean(OrderService.class)
                .place(new OrderPlaced("order-1", 1, "halt-after-commit"));
            await().atMost(ConsumerTestSupport.timeout()).until(() -> !crashingConsumer.isAlive());
            JdbcTemplate jdbc = publisher.getBean(JdbcTemplate.class);
            assertThat(handledRows(jdbc, eventId)).as("handler's write committed before the crash").isOne();

            try (ConfigurableApplicationContext restarted = ConsumerTestSupport.startConsumer(database, topic, "crash",
                    1)) {
                await().atMost(ConsumerTestSupport.timeout())
                    .until(() -> ConsumerTestSupport.count(restarted, "duplicate") == 1);
                assertThat(restarted.getBean(OrderHandlers.class).handled()).isEmpty();
                assertThat(handledRows(jdbc, eventId)).isOne();
            }
        }
    }

    private static int handledRows(JdbcTemplate jdbc, UUID eventId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM handled_order WHERE event_id = ?", Integer.class,
                eventId.toString());
    }

}
