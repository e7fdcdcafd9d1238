package dev.eventbus.consumer;

import java.nio.charset.StandardCharsets;

import dev.eventbus.relay.IdempotentProducers;
import dev.eventbus.wire.CloudEventHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Creates the containers' error handlers: a record whose handling failed (after the listener's own
 * retries) is published at once to {@code <topic><suffix>} with spring-kafka's
 * {@link DeadLetterPublishingRecoverer}, keeping its key, value and headers and adding the
 * headers of the handler's exception (not the container's wrapper) and of the record's origin;
 * then its offset is committed and the consumer moves on. A record that failed because the
 * database is unreachable is not dead-lettered: it is redelivered until the database returns.
 */
public class DeadLetterErrorHandlers implements AutoCloseable {

    private static final BackOff UNTIL_THE_DATABASE_RETURNS = new ExponentialBackOff(500, 2.0);


    private final KafkaOperations<byte[], byte[]> deadLetterTemplate;

    private final String suffix;

    private final ConsumerObserver observer;

    /**
     * Creates the factory of error handlers.
     * @param deadLetterTemplate sends dead-lettered records
     * @param suffix appended to a topic to name its dead-letter topic
     * @param observer counts dead-lettered records
     */
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
        errorHandler.setBackOffFunction(
                (record, exception) -> isDatabaseUnavailable(exception) ? UNTIL_THE_DATABASE_RETURNS : null);
        errorHandler.setCommitRecovered(true);
        return errorHandler;
    }

    /**
     * Closes the dead-letter producer.
     */
    @Override
    public void close() {
        IdempotentProducers.close(this.deadLetterTemplate);
    }

    /**
     * Whether a failure means the database cannot be reached rather than that the record is bad.
     * Such records are not dead-lettered but redelivered, with growing pauses (up to 30 s), until
     * the database answers again.
     * @param exception the failure
     * @return {@code true} for connection and transaction-start failures
     */
    static boolean isDatabaseUnavailable(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof CannotCreateTransactionException || cause instanceof DataAccessResourceFailureException
                    || cause instanceof TransientDataAccessResourceException
                    || cause instanceof RecoverableDataAccessException) {
                return true;
            }
        }
        return false;
    }

    private static Exception unwrap(Exception exception) {
        Exception unwrapped = exception;
        while ((unwrapped instanceof ListenerExecutionFailedException || unwrapped instanceof BatchListenerFailedException)
                && unwrapped.getCause() instanceof Exception cause) {
            unwrapped = cause;
        }
        return unwrapped;
    }

    private static String typeOf(ConsumerRecord<?, ?> record) {
        Header type = record.headers().lastHeader(CloudEventHeaders.TYPE);
        return (type != null) ? new String(type.value(), StandardCharsets.UTF_8) : "unknown";
    }

}
