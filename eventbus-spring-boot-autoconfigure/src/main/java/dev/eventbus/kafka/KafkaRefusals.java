package dev.eventbus.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Tells the failures of a send that sending again cannot cure from those that may pass: a record
 * too large for the producer or the broker, an invalid topic name, a topic the application is not
 * authorized for (not the cluster: that fails every record alike and may yet be granted), and a
 * topic that does not exist while the broker answers (with automatic topic creation off, the
 * producer only times out waiting for its metadata, as it does when the broker is away; an admin
 * client then asks the broker, for at most five seconds, whether the topic exists). Everything
 * else, a broker that is away among them, may pass.
 */
public class KafkaRefusals {

    private static final Log logger = LogFactory.getLog(KafkaRefusals.class);

    private static final Set<Class<? extends Throwable>> FOR_GOOD = Set.of(RecordTooLargeException.class,
            RecordBatchTooLargeException.class, InvalidTopicException.class, TopicAuthorizationException.class,
            SerializationException.class, InvalidRecordException.class);

    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);

    private final Map<String, Object> adminProperties;

    /**
     * Creates the classification.
     * @param adminProperties the application's Kafka admin client properties, to ask whether a
     * topic exists
     */
    public KafkaRefusals(Map<String, Object> adminProperties) {
        this.adminProperties = Map.copyOf(adminProperties);
    }

    /**
     * Whether a send failed for good.
     * @param failure the failure of the send
     * @param topic the record's topic
     * @return {@code true} if sending the record again cannot succeed
     */
    public boolean isForGood(Throwable failure, String topic) {
        if (hasCause(failure, (cause) -> FOR_GOOD.stream().anyMatch((type) -> type.isInstance(cause)))) {
            return true;
        }
        return hasCause(failure, (cause) -> cause instanceof TimeoutException
                && String.valueOf(cause.getMessage()).contains("not present in metadata")) && topicIsMissing(topic);
    }

    private boolean topicIsMissing(String topic) {
        try (Admin admin = KafkaClients.admin(this.adminProperties, CHECK_TIMEOUT, "eventbus-refusals")) {
            admin.describeTopics(Set.of(topic)).allTopicNames().get(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
        catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException ex) {
            boolean missing = hasCause(ex, UnknownTopicOrPartitionException.class::isInstance);
            if (!missing && logger.isDebugEnabled()) {
                logger.debug("Cannot tell whether topic " + topic + " exists: " + ex.getMessage());
            }
            return missing;
        }
    }

    private static boolean hasCause(Throwable failure, Predicate<Throwable> test) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (test.test(cause)) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

}
