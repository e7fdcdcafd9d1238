package dev.eventbus.nats;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.eventbus.transport.ConsumerEndpoint;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.jspecify.annotations.Nullable;

/**
 * The names of eventbus's streams, subjects and consumers on NATS JetStream, and their creation
 * when missing: topic {@code T} is the stream {@code T} with dots replaced by underscores and the
 * subjects {@code T.<p>}; consumer group {@code G} reads partition {@code p} through the durable
 * consumer {@code G-<p>} filtered on {@code T.<p>}; dead letters go to the stream
 * {@code <stream>-dlt}, subject {@code T-dlt}.
 */
public class NatsStreams {

    private static final int NOT_FOUND = 10059;

    private static final int CONSUMER_NOT_FOUND = 10014;

    private static final int STREAM_EXISTS = 10058;

    private static final int SUBJECTS_OVERLAP = 10065;

    private final JetStreamManagement management;

    private final int partitions;

    private final Duration duplicateWindow;

    private final int replicas;

    private final StorageType storage;

    private final Duration maxAge;

    private final Duration ackWait;

    private final Set<String> ensured = ConcurrentHashMap.newKeySet();

    private final Map<String, Long> unfinishedRewinds = new ConcurrentHashMap<>();

    /**
     * Creates the topology.
     * @param management creates streams and consumers
     * @param partitions the partitions of every topic
     * @param duplicateWindow the window in which the server drops a repeated event id
     * @param replicas the replicas of each stream
     * @param storage the storage of each stream
     * @param maxAge how long a topic's stream keeps a message; zero keeps it for ever
     * @param ackWait how long a consumer waits for an acknowledgement before it delivers again
     */
    public NatsStreams(JetStreamManagement management, int partitions, Duration duplicateWindow, int replicas,
            StorageType storage, Duration maxAge, Duration ackWait) {
        this.management = management;
        this.partitions = partitions;
        this.duplicateWindow = duplicateWindow;
        this.replicas = replicas;
        this.storage = storage;
        this.maxAge = maxAge;
        this.ackWait = ackWait;
    }

    /**
     * The partitions of every topic.
     * @return the count
     */
    public int partitions() {
        return this.partitions;
    }

    /**
     * The stream of a topic.
     * @param topic the topic
     * @return the stream name
     */
    public static String stream(String topic) {
        return topic.replace('.', '_');
    }

    /**
     * The subject of a partition.
     * @param topic the topic
     * @param partition the partition
     * @return the subject {@code T.<p>}
     */
    public static String subject(String topic, int partition) {
        return topic + "." + partition;
    }

    /**
     * The durable consumer of a group's partition.
     * @param group the consumer group
     * @param partition the partition
     * @return the consumer name {@code G-<p>}
     */
    public static String consumer(String group, int partition) {
        return group.replace('.', '_') + "-" + partition;
    }

    /**
     * Refuses consumer groups of this application that would share their consumers: the names
     * replace {@code .} by {@code _}, so groups {@code a.b} and {@code a_b} of one topic would both
     * read {@code a_b-<p>}, and each miss the other's events.
     * @param endpoints every endpoint of this application
     * @throws IllegalStateException naming both groups if two share their consumers
     */
    public static void refuseSharedConsumers(List<ConsumerEndpoint> endpoints) {
        Map<String, ConsumerEndpoint> byConsumers = new HashMap<>();
        for (ConsumerEndpoint endpoint : endpoints) {
            ConsumerEndpoint other = byConsumers.putIfAbsent(
                    stream(endpoint.topic()) + "/" + consumer(endpoint.group(), 0), endpoint);
            if (other != null && (!other.topic().equals(endpoint.topic()) || !other.group().equals(endpoint.group()))) {
                throw new IllegalStateException("Consumer group '" + other.group() + "' of topic '" + other.topic()
                        + "' and group '" + endpoint.group() + "' of topic '" + endpoint.topic()
                        + "' would share the NATS consumers " + consumer(endpoint.group(), 0)
                        + "...; rename one of the groups (eventbus.consumer.group or @EventHandler(group = ...))");
            }
        }
    }

    /**
     * What could share the consumers of a group with a {@code .} in its name, for a warning:
     * another application's group, which this one cannot see.
     * @param topic the topic
     * @param group the consumer group
     * @return the warning, or {@code null} if the group has no {@code .}
     */
    public static @Nullable String sharedConsumersWarning(String topic, String group) {
        if (group.indexOf('.') < 0) {
            return null;
        }
        return "Consumer group '" + group + "' of topic '" + topic + "' has a '.' in its name: its NATS consumers "
                + consumer(group, 0) + "... are also those of group '" + group.replace('.', '_')
                + "', should another application use it";
    }

    /**
     * The stream of a topic's dead letters.
     * @param topic the topic
     * @return the stream name
     */
    public static String deadLetterStream(String topic) {
        return stream(topic) + "-dlt";
    }

    /**
     * The subject of a topic's dead letters.
     * @param topic the topic
     * @return the subject {@code T-dlt}
     */
    public static String deadLetterSubject(String topic) {
        return topic + "-dlt";
    }

    /**
     * Creates a topic's stream once per application, unless it exists.
     * @param topic the topic
     * @throws StreamRefusedException if the server refuses to create the stream because its subjects
     * overlap another stream's, or the stream exists but does not take the subject of every
     * partition
     * @throws IllegalStateException if the stream cannot be read or created for a reason that may
     * pass
     */
    public void ensureStream(String topic) {
        if (this.ensured.contains(topic)) {
            return;
        }
        String description = "eventbus topic " + topic + ", " + this.partitions + " partitions";
        checkSubjects(topic, ensure(stream(topic), topic + ".*", description, this.maxAge).getSubjects());
        this.ensured.add(topic);
    }

    /**
     * Whether this application ensured a topic's stream already, so that
     * {@link #ensureStream} asks the server nothing.
     * @param topic the topic
     * @return {@code true} if it did
     */
    public boolean isEnsured(String topic) {
        return this.ensured.contains(topic);
    }

    /**
     * Fails unless the topic's stream takes the subject of every partition. A stream with other
     * subjects than eventbus gives it is checked by asking the server which streams take each
     * subject, so that the server's own wildcard rules decide.
     */
    private void checkSubjects(String topic, List<String> subjects) {
        if (subjects.contains(topic + ".*")) {
            return;
        }
        for (int partition = 0; partition < this.partitions; partition++) {
            String subject = subject(topic, partition);
            if (!streamsTaking(subject).contains(stream(topic))) {
                throw new StreamRefusedException("Stream " + stream(topic) + " exists but does not take subject "
                        + subject + " (its subjects are " + subjects + "): give it the subjects " + topic
                        + ".* or delete it");
            }
        }
    }

    private List<String> streamsTaking(String subject) {
        try {
            return this.management.getStreamNames(subject);
        }
        catch (IOException | JetStreamApiException ex) {
            throw failure("Cannot list the streams of subject " + subject, ex);
        }
    }

    /**
     * Creates the stream, the dead-letter stream and a group's durable consumers of a topic,
     * unless they exist.
     * @param topic the topic
     * @param group the consumer group
     */
    public void ensureGroup(String topic, String group) {
        ensureStream(topic);
        ensure(deadLetterStream(topic), deadLetterSubject(topic), "eventbus dead letters of topic " + topic,
                Duration.ZERO);
        for (int partition = 0; partition < this.partitions; partition++) {
            ensureConsumer(topic, group, partition);
        }
    }

    /**
     * Creates a group's consumer of a partition unless it exists, and the topic's streams too if
     * they are missing, as after an operator deleted the stream.
     * @param topic the topic
     * @param group the consumer group
     * @param partition the partition
     * @return whether the consumer was created
     */
    public boolean ensureConsumer(String topic, String group, int partition) {
        String name = consumer(group, partition);
        try {
            this.management.getConsumerInfo(stream(topic), name);
            return false;
        }
        catch (JetStreamApiException ex) {
            if (ex.getApiErrorCode() == NOT_FOUND) {
                forget(topic);
                ensureStream(topic);
                ensure(deadLetterStream(topic), deadLetterSubject(topic), "eventbus dead letters of topic " + topic,
                        Duration.ZERO);
            }
            else if (ex.getApiErrorCode() != CONSUMER_NOT_FOUND) {
                throw failure("Cannot read consumer " + name + " of stream " + stream(topic), ex);
            }
        }
        catch (IOException ex) {
            throw failure("Cannot read consumer " + name + " of stream " + stream(topic), ex);
        }
        try {
            this.management.addOrUpdateConsumer(stream(topic),
                    consumerConfiguration(topic, group, partition).deliverPolicy(DeliverPolicy.All).build());
            return true;
        }
        catch (IOException | JetStreamApiException creation) {
            throw failure("Cannot create consumer " + name + " of stream " + stream(topic), creation);
        }
    }

    /**
     * Forgets that a topic's stream was created, so that the next {@link #ensureStream} looks
     * again: after a publish failed, since the stream may have been deleted.
     * @param topic the topic
     */
    public void forget(String topic) {
        this.ensured.remove(topic);
    }

    /**
     * Makes a group's partition consumer deliver again everything after its acknowledgement floor,
     * in stream order, before anything newer: it is created anew at the first unacknowledged
     * message. Used when a reader takes a partition over and when it must redeliver. Deleting and
     * creating are two requests: when the second fails, the next rewind creates the consumer at
     * the sequence remembered here, or, after a restart in between, at the start of the stream,
     * whose messages the consumers then skip as duplicates. A missing stream is created again.
     * @param topic the topic
     * @param group the consumer group
     * @param partition the partition
     */
    public void rewind(String topic, String group, int partition) {
        String stream = stream(topic);
        String name = consumer(group, partition);
        try {
            Long next = this.unfinishedRewinds.get(stream + "/" + name);
            if (next == null) {
                ConsumerInfo info = consumerInfo(stream, name);
                if (info == null) {
                    ensureConsumer(topic, group, partition);
                    return;
                }
                if (info.getNumAckPending() == 0) {
                    return;
                }
                next = info.getAckFloor().getStreamSequence() + 1;
                this.unfinishedRewinds.put(stream + "/" + name, next);
                this.management.deleteConsumer(stream, name);
            }
            this.management.addOrUpdateConsumer(stream, consumerConfiguration(topic, group, partition)
                .deliverPolicy(DeliverPolicy.ByStartSequence)
                .startSequence(next)
                .build());
            this.unfinishedRewinds.remove(stream + "/" + name);
        }
        catch (IOException | JetStreamApiException ex) {
            if (ex instanceof JetStreamApiException api && api.getApiErrorCode() == NOT_FOUND) {
                this.unfinishedRewinds.remove(stream + "/" + name);
            }
            throw failure("Cannot rewind consumer " + name + " of stream " + stream, ex);
        }
    }

    private @Nullable ConsumerInfo consumerInfo(String stream, String name)
            throws IOException, JetStreamApiException {
        try {
            return this.management.getConsumerInfo(stream, name);
        }
        catch (JetStreamApiException ex) {
            if (ex.getApiErrorCode() == CONSUMER_NOT_FOUND || ex.getApiErrorCode() == NOT_FOUND) {
                return null;
            }
            throw ex;
        }
    }

    /**
     * How many messages of a topic a group's consumers have not delivered or not seen acknowledged.
     * @param topic the topic
     * @param group the consumer group
     * @return the count
     */
    public long lag(String topic, String group) {
        long lag = 0;
        for (int partition = 0; partition < this.partitions; partition++) {
            try {
                ConsumerInfo info = this.management.getConsumerInfo(stream(topic), consumer(group, partition));
                lag += info.getNumPending() + info.getNumAckPending();
            }
            catch (IOException | JetStreamApiException ex) {
                throw failure("Cannot read consumer " + consumer(group, partition), ex);
            }
        }
        return lag;
    }

    private ConsumerConfiguration.Builder consumerConfiguration(String topic, String group, int partition) {
        return ConsumerConfiguration.builder()
            .durable(consumer(group, partition))
            .filterSubject(subject(topic, partition))
            .ackPolicy(AckPolicy.Explicit)
            .ackWait(this.ackWait);
    }

    /**
     * Creates a stream unless it exists, with a description that tells other services what it
     * holds (for a topic: its partition count).
     * @param maxAge how long it keeps a message; zero keeps it for ever
     * @return its configuration, as the server has it
     */
    private StreamConfiguration ensure(String stream, String subjects, String description, Duration maxAge) {
        StreamConfiguration existing = existing(stream);
        if (existing != null) {
            return existing;
        }
        try {
            return this.management.addStream(StreamConfiguration.builder()
                .name(stream)
                .subjects(subjects)
                .description(description)
                .maxAge(maxAge)
                .storageType(this.storage)
                .replicas(this.replicas)
                .duplicateWindow(this.duplicateWindow)
                .build()).getConfiguration();
        }
        catch (JetStreamApiException creation) {
            if (creation.getApiErrorCode() == STREAM_EXISTS) {
                StreamConfiguration meanwhile = existing(stream);
                if (meanwhile != null) {
                    return meanwhile;
                }
            }
            if (creation.getApiErrorCode() == SUBJECTS_OVERLAP) {
                throw new StreamRefusedException("Cannot create stream " + stream + ": " + creation.getMessage());
            }
            throw failure("Cannot create stream " + stream, creation);
        }
        catch (IOException creation) {
            throw failure("Cannot create stream " + stream, creation);
        }
    }

    private @Nullable StreamConfiguration existing(String stream) {
        try {
            return this.management.getStreamInfo(stream).getConfiguration();
        }
        catch (JetStreamApiException ex) {
            if (ex.getApiErrorCode() == NOT_FOUND) {
                return null;
            }
            throw failure("Cannot read stream " + stream, ex);
        }
        catch (IOException ex) {
            throw failure("Cannot read stream " + stream, ex);
        }
    }

    private static IllegalStateException failure(String message, Exception cause) {
        return new IllegalStateException(message + ": " + cause.getMessage(), cause);
    }

}
