package dev.eventbus.reliability;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;
import dev.eventbus.testsupport.TestKafka;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fuzzed records on a handled topic: every one ends dead-lettered or ignored and counted, no
 * consumer thread dies and no partition stops.
 */
class FuzzedRecordsReliabilityTests {

    static final int FUZZED = Reliability.scaled(400, 10_000);

    static final int VALID_AFTERWARDS = 60;

    @Test
    void everyFuzzedRecordIsDeadLetteredOrIgnoredAndValidRecordsStillFlow() {
        String topic = Reliability.newTopic(TestKafka.bootstrapServers(), "fuzzed", 3);
        try (TestDatabase database = TestDatabases.embeddedPostgres();
                ConfigurableApplicationContext worker = Reliability.startWorker(Reliability.workerArguments(database,
                        TestKafka.bootstrapServers(), topic, "--eventbus.consumer.concurrency=3"))) {
            Random random = new Random(7);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                            ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2_000_000),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < FUZZED; i++) {
                    producer.send(fuzzed(topic, i, random));
                }
                for (int i = 0; i < VALID_AFTERWARDS; i++) {
                    producer.send(valid(topic, "after-" + i, "{\"key\":\"after-" + i + "\",\"sequence\":" + i + "}"));
                }
            }
            long sent = System.nanoTime();
            JdbcTemplate jdbc = worker.getBean(JdbcTemplate.class);
            MeterRegistry meters = worker.getBean(MeterRegistry.class);

            await().atMost(Duration.ofMinutes(Reliability.scaled(2, 10))).pollInterval(Duration.ofSeconds(1))
                .conditionEvaluationListener((condition) -> System.out.printf("dead-lettered %.0f, ignored %.0f,"
                        + " processed %.0f, effects %d%n", count(meters, "dead-lettered"), count(meters, "ignored"),
                        count(meters, "processed"), Reliability.distinctEffects(jdbc)))
                .until(() -> count(meters, "dead-lettered") + count(meters, "ignored") == FUZZED
                        && Reliability.distinctEffects(jdbc) == VALID_AFTERWARDS);

            assertThat(count(meters, "processed")).isEqualTo(VALID_AFTERWARDS);
            assertThat(jdbc.queryForObject("SELECT COUNT(DISTINCT tick_key) FROM effect", Integer.class))
                .isEqualTo(VALID_AFTERWARDS);
            System.out.printf("fuzz: %d records, %.0f dead-lettered, %.0f ignored, %d valid records afterwards handled;"
                    + " drained %.1f s after the last was sent%n", FUZZED, count(meters, "dead-lettered"),
                    count(meters, "ignored"), VALID_AFTERWARDS, (System.nanoTime() - sent) / 1e9);
        }
    }

    private static ProducerRecord<byte[], byte[]> fuzzed(String topic, int index, Random random) {
        String key = "fuzz-" + index;
        return switch (index % 8) {
            case 0 -> {
                byte[] bytes = new byte[random.nextInt(200)];
                random.nextBytes(bytes);
                ProducerRecord<byte[], byte[]> record = valid(topic, key, "");
                yield new ProducerRecord<>(topic, null, key.getBytes(StandardCharsets.UTF_8), bytes, record.headers());
            }
            case 1 -> valid(topic, key, "{\"key\":\"" + key + "\",\"sequ");
            case 2 -> valid(topic, key, "{\"key\":42,\"sequence\":\"not a number\"}");
            case 3 -> valid(topic, key, "{\"key\":\"" + key + "\",\"sequence\":\"" + "9".repeat(100_000) + "\"}");
            case 4 -> {
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
                        "{\"key\":\"x\",\"sequence\":1}".getBytes(StandardCharsets.UTF_8));
                if (random.nextBoolean()) {
                    Reliability.header(record, "ce_type", "reliability.tick");
                }
                yield record;
            }
            case 5 -> {
                ProducerRecord<byte[], byte[]> record = valid(topic, key, "{\"key\":\"x\",\"sequence\":1}");
                Reliability.header(record, "ce_specversion", "0.3");
                yield record;
            }
            case 6 -> {
                ProducerRecord<byte[], byte[]> record = valid(topic, key, "{\"key\":\"x\",\"sequence\":1}");
                record.headers().remove("ce_eventversion");
                Reliability.header(record, "ce_eventversion", (random.nextBoolean()) ? "99" : "\u0000garbage");
                yield record;
            }
            default -> {
                ProducerRecord<byte[], byte[]> record = valid(topic, key, "{\"key\":\"x\",\"sequence\":1}");
                record.headers().remove("ce_type");
                Reliability.header(record, "ce_type", "org.springframework.context.support.ClassPathXmlApplicationContext");
                yield record;
            }
        };
    }

    private static ProducerRecord<byte[], byte[]> valid(String topic, String key, String json) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8));
        Reliability.header(record, "ce_specversion", "1.0");
        Reliability.header(record, "ce_id", UUID.randomUUID().toString());
        Reliability.header(record, "ce_source", "fuzzer");
        Reliability.header(record, "ce_type", "reliability.tick");
        Reliability.header(record, "content-type", "application/json");
        return record;
    }

    private static double count(MeterRegistry meters, String outcome) {
        return meters.find("eventbus.consumer.events").tag("outcome", outcome).counters().stream()
            .mapToDouble(Counter::count)
            .sum();
    }

}
