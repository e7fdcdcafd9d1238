package dev.eventbus.consumer;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Creates the containers' error handlers: a record whose handling failed (after the listener's own
 * retries) is published at once to {@code <topic><suffix>} with spring-kafka's
 * {@link DeadLetterPublishingRecoverer}, keeping its key, value and headers and adding the
 * headers of the handler's exception (not the container's wrapper) and of the record's origin;
 * then its offset is committed and the consumer moves on.
 */
public class DeadLetterErrorHandlers {

    private final KafkaOperations<byte[], byte[]> deadLetterTemplate;

    private final String suffix;

    private final ConsumerObserver observer;

    public DeadLetterErrorHandlers(KafkaOperations<byte[], byte[]> deadLetterTemplate, String suffix,
            ConsumerObserver observer) {
        this.deadLetterTemplate = deadLetterTemplate;
        this.suffix = suffix;
        this.observer = observer;
    }

    /**
     * The dead-letter topic of a topic.
     * @param topic the topic
     * @return the topic name with the suffix
     */
    public String deadLetterTopic(String topic) {
        return topic + this.suffix;
    }

    /**
     * Creates the error handler of one consumer group.
     * @param group the consumer group
     * @return a new error handler
     */
    public DefaultErrorHandler create(String group) {
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(this.deadLetterTemplate,
                (record, exception) -> new TopicPartition(deadLetterTopic(record.topic()), -1));
        DefaultErrorHandler errorHandler = new DefaultErrorHandler((record, exception) -> {
            recoverer.accept(record, unwrap(exception));
            this.observer.outcome(group, typeOf(record), ConsumerOutcome.DEAD_LETTERED);
        }, new FixedBackOff(0, 0));
        errorHandler.setCommitRecovered(true);
        return errorHandler;
    }

    private static Exception unwrap(Exception exception) {
        if (exception instanceof ListenerExecutionFailedException && exception.getCause() instanceof Exception cause) {
            return cause;
        }
        return exception;
    }

    private static String typeOf(ConsumerRecord<?, ?> record) {
        Header type = record.headers().lastHeader("ce_type");
        return (type != null) ? new String(type.value(), StandardCharsets.UTF_8) : "unknown";
    }

}
