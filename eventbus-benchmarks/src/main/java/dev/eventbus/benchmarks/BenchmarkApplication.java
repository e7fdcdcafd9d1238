package dev.eventbus.benchmarks;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.eventbus.EventHandler;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The application under measurement. Its handler, its plain {@code @KafkaListener} and its plain
 * {@code @RabbitListener} do the same trivial work; its writing handler and writing listener write
 * the same business rows. Each is switched on by a property. Spring Modulith's auto-configurations, on the
 * class path for {@link ModulithApplication}, are left out, and nothing is component-scanned.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration(excludeName = { "org.springframework.modulith.events.config.EventPublicationAutoConfiguration",
        "org.springframework.modulith.events.config.EventExternalizationAutoConfiguration",
        "org.springframework.modulith.events.jackson.JacksonEventSerializationConfiguration",
        "org.springframework.modulith.events.jackson2.Jackson2EventSerializationConfiguration",
        "org.springframework.modulith.events.jdbc.JdbcEventPublicationAutoConfiguration",
        "org.springframework.modulith.events.kafka.KafkaEventExternalizerConfiguration",
        "org.springframework.modulith.events.kafka.KafkaJackson2Configuration",
        "org.springframework.modulith.events.kafka.KafkaJacksonConfiguration" })
public class BenchmarkApplication {

    static final String INSERT_BUSINESS_ROW = "INSERT INTO business_row (payload) VALUES (?)";

    @Bean
    @ConditionalOnProperty("benchmark.handler")
    MeasuredHandler measuredHandler() {
        return new MeasuredHandler();
    }

    @Bean
    @ConditionalOnProperty("benchmark.plain-listener")
    PlainListener plainListener() {
        return new PlainListener();
    }

    @Bean
    @ConditionalOnProperty("benchmark.writing-handler")
    WritingHandler writingHandler(JdbcTemplate jdbc) {
        return new WritingHandler(jdbc);
    }

    @Bean
    @ConditionalOnProperty("benchmark.writing-listener")
    WritingListener writingListener(JdbcTemplate jdbc, TransactionTemplate transaction) {
        return new WritingListener(jdbc, transaction);
    }

    @Bean
    @ConditionalOnProperty("benchmark.plain-queues")
    PlainRabbitListener plainRabbitListener() {
        return new PlainRabbitListener();
    }

    /**
     * Counts handled events and records the time from commit to handler.
     */
    public static class MeasuredHandler {

        final AtomicLong handled = new AtomicLong();

        final Recorder latencies = new Recorder(3);

        @EventHandler
        void on(Measured event) {
            this.latencies.recordValue(Math.max(0, System.nanoTime() - event.committedNanos()));
            this.handled.incrementAndGet();
        }

    }

    /**
     * A plain spring-kafka listener without deduplication doing the same trivial work.
     */
    public static class PlainListener {

        final AtomicLong handled = new AtomicLong();

        @KafkaListener(topics = "${benchmark.plain-topic}", groupId = "${benchmark.plain-group:plain}", concurrency = "3",
                properties = { "key.deserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer",
                        "value.deserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer",
                        "auto.offset.reset=earliest" })
        void on(ConsumerRecord<byte[], byte[]> record) {
            this.handled.incrementAndGet();
        }

    }

    /**
     * An idempotent handler that writes one business row per event, in the consumer's
     * transaction.
     */
    public static class WritingHandler {

        final AtomicLong handled = new AtomicLong();

        private final JdbcTemplate jdbc;

        WritingHandler(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @EventHandler
        void on(Measured event) {
            this.jdbc.update(INSERT_BUSINESS_ROW, event.key() + ":" + event.sequence());
            this.handled.incrementAndGet();
        }

    }

    /**
     * A plain spring-kafka batch listener that writes the same business row per record, all
     * records of a poll in one transaction, without deduplication: what a hand-written consumer
     * does when it does not need exactly-once effects.
     */
    public static class WritingListener {

        final AtomicLong handled = new AtomicLong();

        private final JdbcTemplate jdbc;

        private final TransactionTemplate transaction;

        WritingListener(JdbcTemplate jdbc, TransactionTemplate transaction) {
            this.jdbc = jdbc;
            this.transaction = transaction;
        }

        @KafkaListener(topics = "${benchmark.plain-topic}", groupId = "${benchmark.plain-group:plain}", concurrency = "3",
                batch = "true",
                properties = { "key.deserializer=org.apache.kafka.common.serialization.StringDeserializer",
                        "value.deserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer",
                        "auto.offset.reset=earliest" })
        void on(List<ConsumerRecord<String, byte[]>> records) {
            this.transaction.executeWithoutResult((status) -> {
                for (ConsumerRecord<String, byte[]> record : records) {
                    this.jdbc.update(INSERT_BUSINESS_ROW, record.key() + ":" + record.offset());
                }
            });
            this.handled.addAndGet(records.size());
        }

    }

    /**
     * A plain Spring AMQP listener without deduplication doing the same trivial work, on the
     * partition queues of a group, with Boot's default container factory.
     */
    public static class PlainRabbitListener {

        final AtomicLong handled = new AtomicLong();

        @RabbitListener(queues = "#{'${benchmark.plain-queues}'.split(',')}", concurrency = "3")
        void on(Message message) {
            this.handled.incrementAndGet();
        }

    }

}
