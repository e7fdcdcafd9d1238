package dev.eventbus.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A real KRaft Kafka broker in the test JVM, started on first use and shared by all tests of the
 * JVM (each test uses topics of its own), plus helpers to create topics and read them. Unlike
 * spring-kafka-test's default, it leaves no {@code spring.kafka.bootstrap-servers} system property
 * behind, so a test that talks to another broker really does.
 */
public final class TestKafka {

    private static final String SPRING_KAFKA_BOOTSTRAP_SERVERS = "spring.kafka.bootstrap-servers";

    private static @Nullable EmbeddedKafkaKraftBroker broker;

    private TestKafka() {
    }

    /**
     * The bootstrap servers of the shared broker, starting it if needed.
     * @return host:port pairs
     */
    public static synchronized String bootstrapServers() {
        if (broker == null) {
            EmbeddedKafkaKraftBroker started = new EmbeddedKafkaKraftBroker(1, 3);
            started.brokerProperties(Map.of("group.initial.rebalance.delay.ms", "0", "auto.create.topics.enable",
                    "true", "num.partitions", "3"));
            started.afterPropertiesSet();
            System.clearProperty(SPRING_KAFKA_BOOTSTRAP_SERVERS);
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroy));
            broker = started;
        }
        return broker.getBrokersAsString();
    }

    /**
     * Stops the shared broker, if it runs, before the JVM exits: for a caller that must stop its
     * clients first.
     */
    public static synchronized void stop() {
        if (broker != null) {
            broker.destroy();
            broker = null;
        }
    }

    /**
     * A topic name no other test uses.
     * @param prefix a readable prefix
     * @return the name
     */
    public static String uniqueTopic(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Creates a topic.
     * @param bootstrapServers the broker
     * @param topic the name
     * @param partitions the number of partitions
     */
    public static void createTopic(String bootstrapServers, String topic, int partitions) {
        createTopic(bootstrapServers, topic, partitions, Map.of());
    }

    /**
     * Creates a topic unless it exists, such as one of fixed name that an earlier test of the same
     * JVM created on the shared broker.
     * @param bootstrapServers the broker
     * @param topic the name
     * @param partitions the number of partitions of a new topic
     */
    public static void createTopicIfMissing(String bootstrapServers, String topic, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            if (admin.listTopics().names().get().contains(topic)) {
                return;
            }
        }
        catch (Exception ex) {
            throw new IllegalStateException("Cannot list the topics", ex);
        }
        createTopic(bootstrapServers, topic, partitions);
    }

    /**
     * Creates a topic with topic-level configuration.
     * @param bootstrapServers the broker
     * @param topic the name
     * @param partitions the number of partitions
     * @param configs topic configuration, such as {@code max.message.bytes}
     */
    public static void createTopic(String bootstrapServers, String topic, int partitions, Map<String, String> configs) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(configs))).all().get();
            awaitServed(admin, topic, partitions);
        }
        catch (Exception ex) {
            throw new IllegalStateException("Cannot create topic " + topic, ex);
        }
    }

    /**
     * Waits until the broker serves every partition of a new topic, asking each for its end offset.
     * An idempotent producer whose first batch of a partition is refused because the broker does
     * not serve the partition yet, while its later batches are accepted, is stuck on that partition
     * with out-of-order sequence errors until its delivery timeout.
     */
    private static void awaitServed(Admin admin, String topic, int partitions) throws InterruptedException {
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        for (int partition = 0; partition < partitions; partition++) {
            ends.put(new TopicPartition(topic, partition), OffsetSpec.latest());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                admin.listOffsets(ends).all().get();
                return;
            }
            catch (ExecutionException ex) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("Partitions of topic " + topic + " are not served after 30 s");
    }

    /**
     * A consumer of string keys and byte values reading topics from the beginning.
     * @param bootstrapServers the broker
     * @return a new consumer, closed by the caller
     */
    public static KafkaConsumer<String, byte[]> consumer(String bootstrapServers) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    /**
     * Reads a topic from the beginning until the records read satisfy a condition or time runs out.
     * @param bootstrapServers the broker
     * @param topic the topic
     * @param done tells when enough was read
     * @param timeout how long to read at most
     * @return every record read, in the order polled
     */
    public static List<ConsumerRecord<String, byte[]>> readUntil(String bootstrapServers, String topic,
            Predicate<List<ConsumerRecord<String, byte[]>>> done, Duration timeout) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrapServers)) {
            consumer.subscribe(List.of(topic));
            while (!done.test(records) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

}
