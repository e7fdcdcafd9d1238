package dev.eventbus.transport;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A message as a transport received it, before the core decodes it as a CloudEvent. Each
 * transport maps the CloudEvents attributes of its protocol binding (Kafka's {@code ce_} headers,
 * AMQP's {@code cloudEvents_} headers, …) to their plain names.
 *
 * @since 0.2.0
 */
public interface InboundMessage {

    /**
     * The eventbus topic the message was read from.
     * @return the topic name
     */
    String topic();

    /**
     * The partition the message was read from.
     * @return the partition, from 0
     */
    int partition();

    /**
     * The position of the message in its partition, as far as the broker has one.
     * @return the offset or sequence number, {@code -1} if the broker has none
     */
    long offset();

    /**
     * The event key.
     * @return the key, or {@code null}
     */
    @Nullable String key();

    /**
     * The message body.
     * @return the bytes, or {@code null} for an empty message
     */
    byte @Nullable [] body();

    /**
     * A CloudEvents attribute carried in the binding's headers, such as {@code id}, {@code type},
     * {@code specversion}, {@code eventversion} or {@code datacontenttype}.
     * @param name the attribute name
     * @return the value, or {@code null} if the message does not carry it
     */
    @Nullable String attribute(String name);

    /**
     * All headers of the message as strings, under their names on the wire.
     * @return the headers, never {@code null}
     */
    Map<String, String> headers();

    /**
     * When the broker stored the message, the event time of a CloudEvent without one.
     * @return the time, never {@code null}
     */
    Instant timestamp();

}
