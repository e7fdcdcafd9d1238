package dev.eventbus.kafka;

import java.nio.charset.StandardCharsets;

import dev.eventbus.transport.DeadLetterSink;
import dev.eventbus.transport.InboundMessage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * Dead letters on Kafka: a record the core gave up on is published to {@code <topic><suffix>}
 * with spring-kafka's {@link DeadLetterPublishingRecoverer}, keeping its key, value and headers
 * and adding the {@code kafka_dlt-*} headers of the cause and of the record's origin (its consumer
 * group included), plus {@value #ATTEMPTS_HEADER}; returns once the broker acknowledged it.
 */
public class KafkaDeadLetterSink implements DeadLetterSink, AutoCloseable {

    /** Header added to a dead-lettered record, with the number of attempts made. */
    public static final String ATTEMPTS_HEADER = "eventbus-attempts";

    private final KafkaOperations<byte[], byte[]> template;

    private final String suffix;

    private final DeadLetterPublishingRecoverer recoverer;

    /**
     * Creates the sink.
     * @param template sends dead-lettered records
     * @param suffix appended to a topic to name its dead-letter topic
     */
    public KafkaDeadLetterSink(KafkaOperations<byte[], byte[]> template, String suffix) {
        this.template = template;
        this.suffix = suffix;
        this.recoverer = new DeadLetterPublishingRecoverer(template,
                (record, exception) -> new TopicPartition(deadLetterTopic(record.topic()), -1));
    }

    /**
     * The dead-letter topic of a topic.
     * @param topic the topic
     * @return the topic name with the suffix
     */
    public String deadLetterTopic(String topic) {
        return topic + this.suffix;
    }

    @Override
    public void deadLetter(String group, InboundMessage message, Exception cause, int attempts) {
        if (!(message instanceof KafkaInboundMessage kafkaMessage)) {
            throw new IllegalArgumentException("Not a Kafka record: " + message);
        }
        ConsumerRecord<byte[], byte[]> record = kafkaMessage.record();
        replaceHeader(record, ATTEMPTS_HEADER, Integer.toString(attempts));
        replaceHeader(record, KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP, group);
        this.recoverer.accept(record, kafkaMessage.consumer(), cause);
    }

    private static void replaceHeader(ConsumerRecord<byte[], byte[]> record, String name, String value) {
        record.headers().remove(name);
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Closes the dead-letter producer.
     */
    @Override
    public void close() {
        IdempotentProducers.close(this.template);
    }

}
