package dev.eventbus.reliability;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import dev.eventbus.rabbitmq.RabbitTopology;
import dev.eventbus.testsupport.TestDatabase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import dev.eventbus.testsupport.TestKafka;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Counts, arguments and checks shared by the reliability tests. {@code -Dreliability.full=true}
 * runs the full counts; the default is a bounded run for CI.
 */
final class Reliability {

    static final boolean FULL = Boolean.getBoolean("reliability.full");

    /** The consumer group of the workers, their application name. */
    static final String GROUP = "reliability";

    private Reliability() {
    }

    static int scaled(int bounded, int full) {
        return FULL ? full : bounded;
    }

    static List<String> workerArguments(TestDatabase database, String bootstrapServers, String topic,
            String... extra) {
        List<String> arguments = commonArguments(database, topic);
        arguments.add("--spring.kafka.bootstrap-servers=" + bootstrapServers);
        arguments.add("--spring.kafka.consumer.properties.session.timeout.ms=6000");
        arguments.add("--spring.kafka.consumer.properties.heartbeat.interval.ms=1000");
        arguments.addAll(List.of(extra));
        return arguments;
    }

    static List<String> rabbitWorkerArguments(TestDatabase database, int port, String topic, String... extra) {
        List<String> arguments = commonArguments(database, topic);
        arguments.add("--eventbus.transport=rabbitmq");
        arguments.add("--spring.rabbitmq.host=127.0.0.1");
        arguments.add("--spring.rabbitmq.port=" + port);
        arguments.addAll(List.of(extra));
        return arguments;
    }

    static List<String> natsWorkerArguments(TestDatabase database, String url, String topic, String... extra) {
        List<String> arguments = commonArguments(database, topic);
        arguments.add("--eventbus.transport=nats");
        arguments.add("--eventbus.nats.url=" + url);
        arguments.addAll(List.of(extra));
        return arguments;
    }

    static void deleteNatsStreams(String url, String topic) {
        try (io.nats.client.Connection connection = io.nats.client.Nats.connect(url)) {
            for (String stream : List.of(topic, topic + "-dlt")) {
                try {
                    connection.jetStreamManagement().deleteStream(stream);
                }
                catch (io.nats.client.JetStreamApiException ex) {
                    // not created
                }
            }
        }
        catch (Exception ex) {
            throw new IllegalStateException("Cannot delete the streams of " + topic, ex);
        }
    }

    private static List<String> commonArguments(TestDatabase database, String topic) {
        List<String> arguments = database.commandLineArguments();
        arguments.add("--spring.main.web-application-type=none");
        arguments.add("--spring.application.name=" + GROUP);
        arguments.add("--eventbus.topics[reliability.tick]=" + topic);
        arguments.add("--eventbus.outbox.relay.poll-interval=200ms");
        arguments.add("--eventbus.consumer.retry.initial-backoff=20ms");
        return arguments;
    }

    /**
     * Declares the worker group's queues of a topic on a RabbitMQ node before any worker relays,
     * as an operator would before the first deployment, so that no event is unroutable.
     */
    static void declareRabbitQueues(int port, String topic) {
        withRabbit(port, (admin) -> new RabbitTopology(admin, 16, "-dlt").declareGroup(topic, GROUP));
    }

    static void deleteRabbitQueues(int port, String topic) {
        withRabbit(port, (admin) -> {
            for (int partition = 0; partition < 16; partition++) {
                admin.deleteQueue(RabbitTopology.queue(topic, GROUP, partition));
            }
            admin.deleteQueue(topic + "-dlt");
            admin.deleteExchange(topic);
        });
    }

    private static void withRabbit(int port, Consumer<RabbitAdmin> action) {
        CachingConnectionFactory connectionFactory = new CachingConnectionFactory("127.0.0.1", port);
        try {
            action.accept(new RabbitAdmin(connectionFactory));
        }
        finally {
            connectionFactory.destroy();
        }
    }

    static ConfigurableApplicationContext startWorker(List<String> arguments) {
        return new SpringApplicationBuilder(ReliabilityWorker.class).web(WebApplicationType.NONE)
            .run(arguments.toArray(String[]::new));
    }

    static String newTopic(String bootstrapServers, String prefix, int partitions) {
        String topic = TestKafka.uniqueTopic(prefix);
        TestKafka.createTopic(bootstrapServers, topic, partitions);
        return topic;
    }

    /**
     * Sends ticks as another CloudEvents producer would, straight to Kafka.
     */
    static void sendRawTicks(String bootstrapServers, String topic, int count) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                String key = "raw-" + (i % 10);
                ProducerRecord<String, String> record = new ProducerRecord<>(topic, key,
                        "{\"key\":\"" + key + "\",\"sequence\":" + i + "}");
                header(record, "ce_specversion", "1.0");
                header(record, "ce_id", UUID.randomUUID().toString());
                header(record, "ce_source", "raw-producer");
                header(record, "ce_type", "reliability.tick");
                header(record, "content-type", "application/json");
                producer.send(record);
            }
            producer.flush();
        }
    }

    static void header(ProducerRecord<?, ?> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    static int pending(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM eventbus_outbox WHERE published_at IS NULL", Integer.class);
    }

    static int distinctEffects(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT COUNT(DISTINCT event_id) FROM effect", Integer.class);
    }

    /**
     * Every committed outbox event has exactly one effect, and each key's effects follow the
     * order in which its events were committed.
     */
    static void assertExactlyOneEffectPerEventInPerKeyOrder(JdbcTemplate jdbc, int expectedEvents) {
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM eventbus_outbox", Integer.class))
            .as("committed events").isEqualTo(expectedEvents);
        assertThat(jdbc.queryForList("SELECT event_id FROM eventbus_outbox o WHERE NOT EXISTS"
                + " (SELECT 1 FROM effect e WHERE e.event_id = o.event_id)", UUID.class))
            .as("events without effect").isEmpty();
        assertThat(jdbc.queryForList("SELECT event_id FROM effect GROUP BY event_id HAVING COUNT(*) > 1", UUID.class))
            .as("events with more than one effect").isEmpty();
        Map<String, Long> lastOutboxIdByKey = new HashMap<>();
        List<String> outOfOrder = new ArrayList<>();
        jdbc.query("SELECT e.tick_key, o.id FROM effect e JOIN eventbus_outbox o ON o.event_id = e.event_id ORDER BY e.id",
                (rs) -> {
                    String key = rs.getString(1);
                    long outboxId = rs.getLong(2);
                    Long previous = lastOutboxIdByKey.put(key, outboxId);
                    if (previous != null && previous > outboxId) {
                        outOfOrder.add(key + ": " + previous + " before " + outboxId);
                    }
                });
        assertThat(outOfOrder).as("effects out of per-key commit order").isEmpty();
    }

}
