package dev.eventbus.kit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the transport compatibility kit needs of a transport besides eventbus itself: the broker's
 * connection settings for the applications, and a way to write and read messages on the broker
 * as any other producer or consumer would.
 */
public interface KitTransport {

    /**
     * The value of {@code eventbus.transport}.
     * @return the transport's name
     */
    String name();

    /**
     * The properties an application needs to reach the broker, with short failure detection.
     * @return property names and values
     */
    Map<String, String> applicationProperties();

    /**
     * Creates a topic for one test class, or does nothing if the transport creates topics itself.
     * @param topic the eventbus topic
     */
    void createTopic(String topic);

    /**
     * Writes a message in the binary content mode of the transport's CloudEvents binding.
     * @param topic the eventbus topic
     * @param key the event key
     * @param body the body
     * @param attributes CloudEvents attributes under their plain names, possibly none
     */
    void send(String topic, String key, byte[] body, Map<String, String> attributes);

    /**
     * Writes a message in structured content mode, as a foreign producer does: routed by the key,
     * which travels as the record key on Kafka, and only in the envelope's {@code partitionkey}
     * on brokers without keys of their own.
     * @param topic the eventbus topic
     * @param key the event key
     * @param envelope the {@code application/cloudevents+json} envelope
     */
    void sendStructured(String topic, String key, byte[] envelope);

    /**
     * Reads a topic from its beginning until the messages read satisfy a condition.
     * @param topic the eventbus topic
     * @param until the condition
     * @param timeout how long to try
     * @return the messages read, satisfying the condition
     * @throws AssertionError if they do not within the timeout
     */
    List<KitMessage> awaitMessages(String topic, Predicate<List<KitMessage>> until, Duration timeout);

    /**
     * Reads the dead letters of a topic until they satisfy a condition.
     * @param topic the eventbus topic whose dead letters are read
     * @param until the condition
     * @param timeout how long to try
     * @return the dead letters read, satisfying the condition
     * @throws AssertionError if they do not within the timeout
     */
    List<KitMessage> awaitDeadLetters(String topic, Predicate<List<KitMessage>> until, Duration timeout);

    /**
     * Whether a replayed dead letter leaves the dead letters, as from a queue or table, rather
     * than staying in a dead-letter topic or stream.
     * @return {@code true} if replay removes it
     */
    default boolean replayRemovesDeadLetters() {
        return false;
    }

    /**
     * A message read from the broker.
     *
     * @param key the event key, or {@code null}
     * @param body the body
     * @param attributes the CloudEvents attributes under their plain names
     * @param causeClass for a dead letter, the class of the exception that made it one
     * @param causeMessage for a dead letter, that exception's message
     * @param attempts for a dead letter, the attempts made
     */
    record KitMessage(@Nullable String key, byte[] body, Map<String, String> attributes, @Nullable String causeClass,
            @Nullable String causeMessage, @Nullable Integer attempts) {

        private static final JsonMapper JSON = JsonMapper.builder().build();

        /**
         * The CloudEvents id, from the attributes or, in structured mode, the envelope.
         * @return the id, or {@code null}
         */
        public @Nullable String id() {
            String id = this.attributes.get("id");
            return (id != null) ? id : envelopeId();
        }

        private @Nullable String envelopeId() {
            try {
                JsonNode id = JSON.readTree(this.body).get("id");
                return (id != null && id.isString()) ? id.asString() : null;
            }
            catch (JacksonException ex) {
                return null;
            }
        }

    }

}
