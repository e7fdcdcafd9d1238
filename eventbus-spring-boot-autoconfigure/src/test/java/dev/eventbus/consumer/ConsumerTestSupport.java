package dev.eventbus.consumer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.eventbus.consumertest.ConsumerTestApplication;
import dev.eventbus.test.TestDatabase;
import dev.eventbus.test.TestKafka;
import dev.eventbus.testapp.TestApplication;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts consumer applications and writes raw records, as any producer could.
 */
final class ConsumerTestSupport {

    private ConsumerTestSupport() {
    }

    static List<String> consumerArguments(TestDatabase database, String topic, String group, int concurrency) {
        List<String> arguments = database.commandLineArguments();
        arguments.add("--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers());
        arguments.add("--spring.main.web-application-type=none");
        arguments.add("--spring.application.name=consumer-test");
        arguments.add("--spring.kafka.consumer.properties.session.timeout.ms=6000");
        arguments.add("--spring.kafka.consumer.properties.heartbeat.interval.ms=1000");
        arguments.add("--eventbus.consumer.group=" + group);
        arguments.add("--eventbus.consumer.concurrency=" + concurrency);
        arguments.add("--eventbus.consumer.retry.initial-backoff=10ms");
        arguments.add("--eventbus.topics[test.order-placed]=" + topic);
        return arguments;
    }

    static ConfigurableApplicationContext startConsumer(TestDatabase database, String topic, String group,
            int concurrency, String... extraArguments) {
        List<String> arguments = consumerArguments(database, topic, group, concurrency);
        arguments.addAll(List.of(extraArguments));
        return new SpringApplicationBuilder(ConsumerTestApplication.class).web(WebApplicationType.NONE)
            .run(arguments.toArray(String[]::new));
    }

    static ConfigurableApplicationContext startPublisher(TestDatabase database, String topic,
            String... extraArguments) {
        List<String> arguments = database.commandLineArguments();
        arguments.add("--spring.application.name=order-service");
        arguments.add("--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers());
        arguments.add("--eventbus.topics[test.order-placed]=" + topic);
        arguments.addAll(List.of(extraArguments));
        return new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE)
            .run(arguments.toArray(String[]::new));
    }

    static void send(String topic, String key, byte[] value, Map<String, String> headers) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null,
                    key.getBytes(StandardCharsets.UTF_8), value);
            headers.forEach((name, headerValue) -> record.headers()
                .add(new RecordHeader(name, headerValue.getBytes(StandardCharsets.UTF_8))));
            producer.send(record).get();
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    static Map<String, String> cloudEventHeaders(String id, String type) {
        Map<String, String> headers = new HashMap<>();
        headers.put("ce_specversion", "1.0");
        headers.put("ce_id", id);
        headers.put("ce_source", "test-producer");
        headers.put("ce_type", type);
        headers.put("content-type", "application/json");
        return headers;
    }

    static double count(ConfigurableApplicationContext context, String outcome) {
        return context.getBean(MeterRegistry.class)
            .find("eventbus.consumer.events")
            .tag("outcome", outcome)
            .counters()
            .stream()
            .mapToDouble(Counter::count)
            .sum();
    }

    static Duration timeout() {
        return Duration.ofSeconds(60);
    }

}
