package dev.eventbus.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;

import dev.eventbus.transport.DeadLetterSink;
import dev.eventbus.transport.InboundMessage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.support.SendResult;

/**
 * Dead letters on Kafka: a record the core gave up on is published to {@code <topic><suffix>}
 * with spring-kafka's {@link DeadLetterPublishingRecoverer}, keeping its key, value and headers
 * and adding the {@code kafka_dlt-*} headers of the cause and of the record's origin (its consumer
 * group included), plus {@value #ATTEMPTS_HEADER}. The records are sent pipelined; {@link #flush()}
 * waits for their acknowledgements.
 */
public class KafkaDeadLetterSink implements DeadLetterSink, AutoCloseable {

    /** Header added to a dead-lettered record, with the number of attempts made. */
    public static final String ATTEMPTS_HEADER = "eventbus-attempts";

    private final KafkaOperations<byte[], byte[]> template;

    private final String suffix;

    private static final ThreadLocal<List<CompletableFuture<?>>> PENDING = ThreadLocal.withInitial(ArrayList::new);

    private final DeadLetterPublishingRecoverer recoverer;

    /**
     * Creates the sink.
     * @param template sends dead-lettered records
     * @param suffix appended to a topic to name its dead-letter topic
     */
    public KafkaDeadLetterSink(KafkaOperations<byte[], byte[]> template, String suffix) {
        this.template = template;
        this.suffix = suffix;
        this.recoverer = new PipelinedRecoverer(template,
                (record, exception) -> new TopicPartition(deadLetterTopic(record.topic()), -1));
    }

    private String deadLetterTopic(String topic) {
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

    /**
     * Waits for the broker's acknowledgement of every dead letter this thread handed over.
     * @throws KafkaException naming the first dead letter that could not be stored
     */
    @Override
    public void flush() {
        List<CompletableFuture<?>> sends = PENDING.get();
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
        }
        catch (CompletionException ex) {
            throw new KafkaException("A dead letter could not be stored", (ex.getCause() != null) ? ex.getCause() : ex);
        }
        finally {
            sends.clear();
        }
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

    /**
     * spring-kafka's recoverer, which builds the dead-letter record with its headers, but leaves
     * the waiting for the acknowledgement to {@link #flush()}, so a flood of dead letters is sent
     * pipelined rather than one round trip each.
     */
    private static final class PipelinedRecoverer extends DeadLetterPublishingRecoverer {

        PipelinedRecoverer(KafkaOperations<?, ?> template,
                BiFunction<ConsumerRecord<?, ?>, Exception, TopicPartition> destinationResolver) {
            super(template, destinationResolver);
        }

        @Override
        protected void verifySendResult(KafkaOperations<Object, Object> kafkaTemplate,
                ProducerRecord<Object, Object> outRecord, @Nullable CompletableFuture<SendResult<Object, Object>> sendResult,
                ConsumerRecord<?, ?> inRecord) {
            if (sendResult == null) {
                throw new KafkaException("Dead-letter publication of " + inRecord.topic() + "-" + inRecord.partition()
                        + "@" + inRecord.offset() + " failed");
            }
            PENDING.get().add(sendResult);
        }

    }

}
