package dev.eventbus.nats;

import dev.eventbus.wire.CloudEventAttributes;

/**
 * Header names of the CloudEvents NATS protocol binding in binary content mode, and the headers
 * eventbus adds to dead letters.
 */
public final class NatsHeaders {

    /** The prefix of attribute headers. */
    public static final String PREFIX = "ce-";

    /** The event key, the CloudEvents partitioning extension. */
    public static final String PARTITION_KEY = PREFIX + "partitionkey";

    /** The media type of the data. */
    public static final String CONTENT_TYPE = "content-type";

    /**
     * Set to {@value #PERCENT_ENCODED} on a message whose header values are percent-encoded
     * ({@link NatsHeaderValues}); without it, values are read as they are.
     */
    public static final String ENCODING = "eventbus-encoding";

    /** The value of {@link #ENCODING} for percent-encoded header values. */
    public static final String PERCENT_ENCODED = "percent";

    /** JetStream's message id, which the server deduplicates within the duplicate window. */
    public static final String MESSAGE_ID = "Nats-Msg-Id";

    /** The class of the exception that made a message a dead letter. */
    public static final String DEAD_LETTER_EXCEPTION = "eventbus-dlt-exception-fqcn";

    /** The message of that exception. */
    public static final String DEAD_LETTER_MESSAGE = "eventbus-dlt-exception-message";

    /** The consumer group that gave the message up. */
    public static final String DEAD_LETTER_GROUP = "eventbus-dlt-group";

    /** The partition the message was read from. */
    public static final String DEAD_LETTER_PARTITION = "eventbus-dlt-partition";

    /** The handling attempts made. */
    public static final String ATTEMPTS = "eventbus-attempts";

    private NatsHeaders() {
    }

    /**
     * The header that carries an attribute.
     * @param attribute the attribute name, such as {@code id}
     * @return the header name, such as {@code ce-id}
     */
    public static String of(String attribute) {
        return CloudEventAttributes.DATA_CONTENT_TYPE.equals(attribute) ? CONTENT_TYPE : PREFIX + attribute;
    }

    static boolean isDeadLetterHeader(String name) {
        return name.startsWith("eventbus-dlt-") || name.equals(ATTEMPTS) || name.equals(MESSAGE_ID);
    }

}
