package dev.eventbus.nats;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import io.nats.client.Connection;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.api.StorageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A rewind deletes a partition's consumer and creates it again at its first unacknowledged
 * message; these tests break it between the two requests, on the machine's NATS server.
 */
class NatsStreamsRewindTests {

    private static final String GROUP = "rewind";

    private Connection connection;

    private JetStreamManagement management;

    private String topic;

    @BeforeEach
    void connect() throws Exception {
        this.connection = Nats.connect(NatsKitTransport.URL);
        this.management = this.connection.jetStreamManagement();
        this.topic = "nats-rewind-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void deleteStreams() throws Exception {
        for (String stream : List.of(NatsStreams.stream(this.topic), NatsStreams.deadLetterStream(this.topic))) {
            try {
                this.management.deleteStream(stream);
            }
            catch (Exception ex) {
                // not created
            }
        }
        this.connection.close();
    }

    private NatsStreams streams(JetStreamManagement management) {
        return new NatsStreams(management, 1, Duration.ofMinutes(2), 1, StorageType.File, Duration.ZERO,
                Duration.ofSeconds(30));
    }

    /**
     * Publishes five messages to partition 0 and acknowledges the first two of a fetch of all.
     */
    private void publishFiveAndAcknowledgeTwo(NatsStreams streams) throws Exception {
        streams.ensureGroup(this.topic, GROUP);
        for (int i = 1; i <= 5; i++) {
            this.connection.jetStream().publish(NatsStreams.subject(this.topic, 0), ("m" + i).getBytes());
        }
        List<Message> fetched = fetch();
        assertThat(fetched).hasSize(5);
        fetched.get(0).ack();
        fetched.get(1).ack();
        this.connection.flush(Duration.ofSeconds(5));
    }

    private List<Message> fetch() throws Exception {
        FetchConsumer fetch = this.connection
            .getConsumerContext(NatsStreams.stream(this.topic), NatsStreams.consumer(GROUP, 0))
            .fetch(FetchConsumeOptions.builder().maxMessages(10).expiresIn(1000).build());
        List<Message> messages = new ArrayList<>();
        Message message;
        while ((message = fetch.nextMessage()) != null) {
            messages.add(message);
        }
        return messages;
    }

    private List<String> fetchedBodies() throws Exception {
        return fetch().stream().map((message) -> new String(message.getData())).toList();
    }

    @Test
    void rewindRedeliversFromTheFirstUnacknowledgedMessage() throws Exception {
        NatsStreams streams = streams(this.management);
        publishFiveAndAcknowledgeTwo(streams);

        streams.rewind(this.topic, GROUP, 0);

        assertThat(fetchedBodies()).containsExactly("m3", "m4", "m5");
    }

    @Test
    void rewindWhoseCreationFailedIsFinishedByTheNextAtTheSameMessage() throws Exception {
        AtomicBoolean failNextCreation = new AtomicBoolean();
        NatsStreams streams = streams(failingCreation(failNextCreation));
        publishFiveAndAcknowledgeTwo(streams);

        failNextCreation.set(true);
        assertThatIllegalStateException().isThrownBy(() -> streams.rewind(this.topic, GROUP, 0))
            .withMessageContaining("Cannot rewind consumer rewind-0");
        assertThat(consumerExists()).isFalse();

        streams.rewind(this.topic, GROUP, 0);

        assertThat(fetchedBodies()).containsExactly("m3", "m4", "m5");
    }

    @Test
    void consumerMissingAtARewindIsCreatedAtTheStartOfTheStream() throws Exception {
        NatsStreams streams = streams(this.management);
        publishFiveAndAcknowledgeTwo(streams);
        this.management.deleteConsumer(NatsStreams.stream(this.topic), NatsStreams.consumer(GROUP, 0));

        streams(this.management).rewind(this.topic, GROUP, 0);

        assertThat(fetchedBodies()).containsExactly("m1", "m2", "m3", "m4", "m5");
    }

    @Test
    void rewindOfAPartitionWhoseStreamWasDeletedCreatesTheStreamAndTheConsumerAgain() throws Exception {
        NatsStreams streams = streams(this.management);
        publishFiveAndAcknowledgeTwo(streams);
        this.management.deleteStream(NatsStreams.stream(this.topic));

        streams.rewind(this.topic, GROUP, 0);

        assertThat(consumerExists()).isTrue();
        this.connection.jetStream().publish(NatsStreams.subject(this.topic, 0), "m6".getBytes());
        assertThat(fetchedBodies()).containsExactly("m6");
    }

    private boolean consumerExists() throws Exception {
        return this.management.getConsumerNames(NatsStreams.stream(this.topic))
            .contains(NatsStreams.consumer(GROUP, 0));
    }

    /**
     * The machine's server behind a management whose next consumer creation fails, as when the
     * connection drops between a rewind's two requests.
     */
    private JetStreamManagement failingCreation(AtomicBoolean failNextCreation) {
        return (JetStreamManagement) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { JetStreamManagement.class }, (proxy, method, arguments) -> {
                    if (method.getName().equals("addOrUpdateConsumer") && failNextCreation.getAndSet(false)) {
                        throw new IOException("connection lost");
                    }
                    try {
                        return method.invoke(this.management, arguments);
                    }
                    catch (InvocationTargetException ex) {
                        throw ex.getCause();
                    }
                });
    }

}
