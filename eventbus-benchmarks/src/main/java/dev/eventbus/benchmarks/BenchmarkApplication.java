package dev.eventbus.benchmarks;

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
import org.springframework.kafka.annotation.KafkaListener;

/**
 * The application under measurement. Its handler, its plain {@code @KafkaListener} and its plain
 * {@code @RabbitListener} do the same trivial work, and are switched on by properties. Spring Modulith's auto-configurations, on the
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
