package dev.eventbus.nats;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import dev.eventbus.kit.KitTransport;
import dev.eventbus.wire.Partitions;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.Headers;

import static org.awaitility.Awaitility.await;

/**
 * The kit's view of NATS JetStream, on the machine's server (127.0.0.1:4222): foreign messages with
 * the CloudEvents NATS binding's headers; what reached a topic and its dead letters are read from
 * their streams by sequence.
 */
class NatsKitTransport implements KitTransport, AutoCloseable {

    static final String URL = "nats://127.0.0.1:4222";

    private final String url;

    private final Connection connection;

    private final JetStreamManagement management;

    private final NatsStreams streams;

    private final Partitions partitions = new Partitions(16);

    private final Set<String> topics = ConcurrentHashMap.newKeySet();

    NatsKitTransport() {
        this(URL);
    }

    NatsKitTransport(String url) {
        this.url = url;
        try {
            this.connection = Nats.connect(url);
            this.management = this.connection.jetStreamManagement();
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot connect to " + url, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        this.streams = new NatsStreams(this.management, 16, Duration.ofMinutes(2), 1, StorageType.File,
                Duration.ofDays(1), Duration.ofSeconds(30));
    }

    @Override
    public String name() {
        return "nats";
    }

    @Override
    public Map<String, String> applicationProperties() {
        return Map.of("eventbus.nats.url", this.url);
    }

    @Override
    public void createTopic(String topic) {
        track(topic);
        this.streams.ensureStream(topic);
    }

    void deleteStream(String topic) throws IOException, JetStreamApiException {
        this.management.deleteStream(NatsStreams.stream(topic));
    }

    /**
     * Creates a stream of another name that takes a topic's subjects, so that eventbus cannot
     * create the topic's own stream; deleted by {@link #deleteOverlappingStream} or at
     * {@link #close()}.
     * @param topic the topic
     */
    void addOverlappingStream(String topic) throws IOException, JetStreamApiException {
        track(topic);
        this.management.addStream(StreamConfiguration.builder()
            .name(overlappingStream(topic))
            .subjects(topic + ".*")
            .storageType(StorageType.Memory)
            .build());
    }

    /**
     * Creates the stream of a topic's name with subjects of the test's choice, instead of the
     * {@code T.*} eventbus gives it; deleted at {@link #close()}.
     * @param topic the topic
     * @param subjects the stream's subjects
     */
    void addStream(String topic, String subjects) throws IOException, JetStreamApiException {
        track(topic);
        this.management.addStream(StreamConfiguration.builder()
            .name(NatsStreams.stream(topic))
            .subjects(subjects)
            .storageType(StorageType.Memory)
            .build());
    }

    void deleteOverlappingStream(String topic) throws IOException, JetStreamApiException {
        this.management.deleteStream(overlappingStream(topic));
    }

    private static String overlappingStream(String topic) {
        return NatsStreams.stream(topic) + "-overlapping";
    }

    void track(String topic) {
        this.topics.add(topic);
    }

    @Override
    public boolean replayRemovesDeadLetters() {
        return true;
    }

    @Override
    public void send(String topic, String key, byte[] body, Map<String, String> attributes) {
        Headers headers = new Headers();
        attributes.forEach((name, value) -> headers.put(NatsHeaders.of(name), value));
        headers.put(NatsHeaders.PARTITION_KEY, key);
        publish(topic, key, headers, body);
    }

    @Override
    public void sendStructured(String topic, String key, byte[] envelope) {
        Headers headers = new Headers();
        headers.put(NatsHeaders.CONTENT_TYPE, "application/cloudevents+json; charset=UTF-8");
        publish(topic, key, headers, envelope);
    }

    private void publish(String topic, String key, Headers headers, byte[] body) {
        try {
            this.connection.jetStream().publish(NatsStreams.subject(topic, this.partitions.of(key)), headers, body);
        }
        catch (IOException | JetStreamApiException ex) {
            throw new IllegalStateException("Cannot publish to " + topic, ex);
        }
    }

    @Override
    public List<KitMessage> awaitMessages(String topic, Predicate<List<KitMessage>> until, Duration timeout) {
        return await().atMost(timeout).pollInterval(Duration.ofMillis(100))
            .until(() -> read(NatsStreams.stream(topic)), until);
    }

    @Override
    public List<KitMessage> awaitDeadLetters(String topic, Predicate<List<KitMessage>> until, Duration timeout) {
        return await().atMost(timeout).pollInterval(Duration.ofMillis(100))
            .until(() -> read(NatsStreams.deadLetterStream(topic)), until);
    }

    private List<KitMessage> read(String stream) throws IOException {
        StreamInfo info;
        try {
            info = this.management.getStreamInfo(stream);
        }
        catch (JetStreamApiException ex) {
            return List.of();
        }
        List<KitMessage> messages = new ArrayList<>();
        for (long sequence = info.getStreamState().getFirstSequence(); sequence <= info.getStreamState()
            .getLastSequence(); sequence++) {
            try {
                messages.add(message(this.management.getMessage(stream, sequence)));
            }
            catch (JetStreamApiException ex) {
                // deleted by a replay
            }
        }
        return messages;
    }

    private static KitMessage message(MessageInfo info) {
        Map<String, String> headers = new HashMap<>();
        if (info.getHeaders() != null) {
            info.getHeaders().entrySet().forEach((header) -> headers.put(header.getKey(),
                    NatsHeaderValues.read(info.getHeaders(), header.getKey())));
        }
        Map<String, String> attributes = new HashMap<>();
        headers.forEach((name, value) -> {
            if (name.startsWith(NatsHeaders.PREFIX) && !name.equals(NatsHeaders.PARTITION_KEY)) {
                attributes.put(name.substring(NatsHeaders.PREFIX.length()), value);
            }
            else if (name.equals(NatsHeaders.CONTENT_TYPE)) {
                attributes.put("datacontenttype", value);
            }
        });
        String attempts = headers.get(NatsHeaders.ATTEMPTS);
        return new KitMessage(headers.get(NatsHeaders.PARTITION_KEY), info.getData(), attributes,
                headers.get(NatsHeaders.DEAD_LETTER_EXCEPTION), headers.get(NatsHeaders.DEAD_LETTER_MESSAGE),
                (attempts != null) ? Integer.valueOf(attempts) : null);
    }

    /**
     * Deletes the streams of the topics this run used, with their consumers.
     */
    @Override
    public void close() {
        for (String topic : this.topics) {
            for (String stream : List.of(NatsStreams.stream(topic), NatsStreams.deadLetterStream(topic),
                    overlappingStream(topic))) {
                try {
                    this.management.deleteStream(stream);
                }
                catch (IOException | JetStreamApiException ex) {
                    // not created
                }
            }
        }
        try {
            this.connection.close();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
