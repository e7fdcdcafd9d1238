package dev.eventbus.relay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.eventbus.testsupport.JavaProcess;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;
import dev.eventbus.testsupport.TestKafka;
import dev.eventbus.testapp.OrderPlaced;
import dev.eventbus.testapp.OrderService;
import dev.eventbus.testapp.TestApplication;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three relay instances, each a JVM of its own, on one PostgreSQL database; one is killed with
 * SIGKILL while events flow. Every event must reach the topic, in per-key order.
 */
class MultiInstanceRelayIntegrationTests {

    static final int EVENTS = 10_000;

    static final int KEYS = 100;

    static final int EVENTS_PER_TRANSACTION = 50;

    @Test
    void threeInstancesKeepPerKeyOrderAndLoseNothingWhenOneIsKilled() throws Exception {
        String topic = TestKafka.uniqueTopic("multi-instance");
        TestKafka.createTopic(TestKafka.bootstrapServers(), topic, 3);
        try (TestDatabase database = TestDatabases.embeddedPostgres();
                ConfigurableApplicationContext publisher = publisher(database, topic)) {
            List<JavaProcess> relays = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    relays.add(relayInstance(database, topic));
                }
                for (JavaProcess relay : relays) {
                    relay.awaitOutput("Started TestApplication", Duration.ofSeconds(90));
                }
                OrderService orders = publisher.getBean(OrderService.class);
                JdbcTemplate jdbc = publisher.getBean(JdbcTemplate.class);
                publish(orders, 0, EVENTS / 2);
                awaitPublishedRows(jdbc, EVENTS / 10);
                relays.get(0).kill();
                assertThat(publishedRows(jdbc)).as("rows published when the instance was killed")
                    .isLessThan(EVENTS / 2);
                publish(orders, EVENTS / 2, EVENTS);

                List<ConsumerRecord<String, byte[]>> records = TestKafka.readUntil(TestKafka.bootstrapServers(), topic,
                        (read) -> distinctEventIds(read) == EVENTS, Duration.ofMinutes(3));

                assertThat(distinctEventIds(records)).isEqualTo(EVENTS);
                System.out.printf("%d records on the topic for %d events (%d duplicates after the kill)%n",
                        records.size(), EVENTS, records.size() - EVENTS);
                assertPerKeyOrder(records);
                assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM eventbus_outbox WHERE published_at IS NULL",
                        Integer.class)).isZero();
            }
            finally {
                relays.forEach(JavaProcess::kill);
            }
        }
    }

    private static void publish(OrderService orders, int from, int to) {
        for (int transactionStart = from; transactionStart < to; transactionStart += EVENTS_PER_TRANSACTION) {
            List<OrderPlaced> batch = new ArrayList<>();
            for (int sequence = transactionStart; sequence < transactionStart + EVENTS_PER_TRANSACTION; sequence++) {
                batch.add(new OrderPlaced("key-" + (sequence % KEYS), sequence));
            }
            orders.placeAll(batch);
        }
    }

    private static void awaitPublishedRows(JdbcTemplate jdbc, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (publishedRows(jdbc) < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    private static void assertPerKeyOrder(List<ConsumerRecord<String, byte[]>> records) {
        JsonMapper json = JsonMapper.builder().build();
        Set<String> seen = new HashSet<>();
        Map<String, List<Integer>> sequencesByKey = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            if (seen.add(AbstractOutboxRelayIntegrationTests.header(record, "ce_id"))) {
                OrderPlaced event = json.readValue(new String(record.value(), StandardCharsets.UTF_8), OrderPlaced.class);
                sequencesByKey.computeIfAbsent(record.key(), (key) -> new ArrayList<>()).add(event.sequence());
            }
        }
        assertThat(sequencesByKey).hasSize(KEYS);
        sequencesByKey.forEach((key, sequences) -> assertThat(sequences).as("sequences of " + key).isSorted()
            .doesNotHaveDuplicates()
            .hasSize(EVENTS / KEYS));
    }

    private static long distinctEventIds(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map((record) -> AbstractOutboxRelayIntegrationTests.header(record, "ce_id")).distinct()
            .count();
    }

    private static int publishedRows(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM eventbus_outbox WHERE published_at IS NOT NULL",
                Integer.class);
    }

    private static ConfigurableApplicationContext publisher(TestDatabase database, String topic) {
        Map<String, Object> properties = new HashMap<>(database.springProperties());
        properties.put("spring.kafka.bootstrap-servers", TestKafka.bootstrapServers());
        properties.put("eventbus.topics[test.order-placed]", topic);
        properties.put("eventbus.outbox.relay.enabled", false);
        return new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE)
            .properties(properties)
            .run();
    }

    private static JavaProcess relayInstance(TestDatabase database, String topic) {
        List<String> arguments = database.commandLineArguments();
        arguments.add("--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers());
        arguments.add("--spring.main.web-application-type=none");
        arguments.add("--eventbus.topics[test.order-placed]=" + topic);
        arguments.add("--eventbus.outbox.relay.batch-size=100");
        arguments.add("--eventbus.outbox.relay.poll-interval=200ms");
        return JavaProcess.start(TestApplication.class, "256m", arguments);
    }

}
