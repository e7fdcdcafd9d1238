package dev.eventbus.relay;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.TimeZone;
import java.util.UUID;

import dev.eventbus.consumer.ProcessedEventRepository;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;
import dev.eventbus.testsupport.TestKafka;
import dev.eventbus.testapp.OrderPlaced;
import dev.eventbus.testapp.OrderService;
import dev.eventbus.testapp.TestApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * MySQL's {@code DATETIME} has no zone: eventbus stores its times in UTC whatever the JVM's zone,
 * so instances in different zones agree on lag, health and retention.
 */
class MariaDbUtcTimesIntegrationTests {

    @Test
    void timesAreStoredInUtcInAJvmOfAnotherZone() {
        TimeZone original = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
        try (TestDatabase database = TestDatabases.localMariaDb();
                ConfigurableApplicationContext context = start(database)) {
            LocalDateTime before = LocalDateTime.ofInstant(Instant.now(), ZoneOffset.UTC).minusSeconds(5);
            UUID eventId = context.getBean(OrderService.class).place(new OrderPlaced("utc-1", 1));
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> stored(jdbc, "published_at", eventId) != null);
            context.getBean(TransactionTemplate.class).executeWithoutResult((status) -> context
                .getBean(ProcessedEventRepository.class)
                .markProcessed("utc", List.of(eventId), Instant.now()));
            LocalDateTime after = LocalDateTime.ofInstant(Instant.now(), ZoneOffset.UTC).plusSeconds(5);

            assertThat(stored(jdbc, "created_at", eventId)).isBetween(before, after);
            assertThat(stored(jdbc, "published_at", eventId)).isBetween(before, after);
            assertThat(LocalDateTime.parse(jdbc.queryForObject("SELECT DATE_FORMAT(processed_at, '%Y-%m-%dT%H:%i:%s')"
                    + " FROM eventbus_processed_event WHERE consumer_group = 'utc'", String.class)))
                .isBetween(before, after);
        }
        finally {
            TimeZone.setDefault(original);
        }
    }

    private static LocalDateTime stored(JdbcTemplate jdbc, String column, UUID eventId) {
        String value = jdbc.queryForObject("SELECT DATE_FORMAT(" + column + ", '%Y-%m-%dT%H:%i:%s') FROM"
                + " eventbus_outbox WHERE event_id = ?", String.class, eventId.toString());
        return (value != null) ? LocalDateTime.parse(value) : null;
    }

    private static ConfigurableApplicationContext start(TestDatabase database) {
        List<String> arguments = database.commandLineArguments();
        arguments.add("--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers());
        arguments.add("--eventbus.topics[test.order-placed]=" + TestKafka.uniqueTopic("utc"));
        arguments.add("--eventbus.outbox.relay.poll-interval=200ms");
        return new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE)
            .run(arguments.toArray(String[]::new));
    }

}
