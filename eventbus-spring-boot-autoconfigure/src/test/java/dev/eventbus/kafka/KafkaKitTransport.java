package dev.eventbus.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import dev.eventbus.kit.KitTransport;
import dev.eventbus.testsupport.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kit's view of Kafka: the embedded KRaft broker, records with the CloudEvents Kafka binding's
 * headers, dead letters on {@code <topic>-dlt} with spring-kafka's {@code kafka_dlt-*} headers.
 */
class KafkaKitTransport implements KitTransport {

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public Map<String, String> applicationProperties() {
        return Map.of("spring.kafka.bootstrap-servers", TestKafka.bootstrapServers(),
                "spring.kafka.consumer.properties.session.timeout.ms", "6000",
                "spring.kafka.consumer.properties.heartbeat.interval.ms", "1000");
    }

    @Override
    public void createTopic(String topic) {
        TestKafka.createTopic(TestKafka.bootstrapServers(), topic, 3);
    }

    @Override
    public void send(String topic, String key, byte[] body, Map<String, String> attributes) {
        Map<String, String> headers = new HashMap<>();
        attributes.forEach((name, value) -> headers.put(CloudEventHeaders.of(name), value));
        produce(topic, key, body, headers);
    }

    @Override
    public void sendStructured(String topic, String key, byte[] envelope) {
        produce(topic, key, envelope, Map.of("content-type", "application/cloudevents+json; charset=UTF-8"));
    }

    private static void produce(String topic, String key, byte[] value, Map<String, String> headers) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null,
                    key.getBytes(StandardCharsets.UTF_8), value);
            headers.forEach((name, headerValue) -> record.headers()
                .add(name, headerValue.getBytes(StandardCharsets.UTF_8)));
            producer.send(record).get();
        }
        catch (Exception ex) {
            throw new IllegalStateException("Cannot send to " + topic, ex);
        }
    }

    @Override
    public List<KitMessage> awaitMessages(String topic, Predicate<List<KitMessage>> until, Duration timeout) {
        return await(topic, until, timeout);
    }

    @Override
    public List<KitMessage> awaitDeadLetters(String topic, Predicate<List<KitMessage>> until, Duration timeout) {
        return await(topic + "-dlt", until, timeout);
    }

    private static List<KitMessage> await(String topic, Predicate<List<KitMessage>> until, Duration timeout) {
        List<KitMessage> messages = new ArrayList<>();
        TestKafka.readUntil(TestKafka.bootstrapServers(), topic, (records) -> {
            messages.clear();
            records.forEach((record) -> messages.add(message(record)));
            return until.test(messages);
        }, timeout);
        assertThat(until.test(messages)).as("messages on " + topic + " within " + timeout + ": " + messages).isTrue();
        return messages;
    }

    private static KitMessage message(ConsumerRecord<String, byte[]> record) {
        Map<String, String> attributes = new HashMap<>();
        for (Header header : record.headers()) {
            String value = new String(header.value(), StandardCharsets.UTF_8);
            if (header.key().startsWith(CloudEventHeaders.PREFIX)) {
                attributes.put(header.key().substring(CloudEventHeaders.PREFIX.length()), value);
            }
            else if (header.key().equals(CloudEventHeaders.CONTENT_TYPE)) {
                attributes.put("datacontenttype", value);
            }
        }
        String attempts = header(record, KafkaDeadLetterSink.ATTEMPTS_HEADER);
        return new KitMessage(record.key(), record.value(), attributes, header(record, "kafka_dlt-exception-fqcn"),
                header(record, "kafka_dlt-exception-message"), (attempts != null) ? Integer.valueOf(attempts) : null);
    }

    private static @Nullable String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return (header != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
    }

}
