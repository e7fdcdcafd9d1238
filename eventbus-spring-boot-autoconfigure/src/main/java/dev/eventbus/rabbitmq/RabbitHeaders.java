package dev.eventbus.rabbitmq;

import dev.eventbus.wire.CloudEventAttributes;

/**
 * Header names of the CloudEvents AMQP protocol binding in binary content mode, and the headers
 * eventbus adds to dead letters. The data content type travels in the AMQP {@code content-type}
 * property.
 */
public final class RabbitHeaders {

    /** The prefix of attribute headers. */
    public static final String PREFIX = "cloudEvents_";

    /** The event key, the CloudEvents partitioning extension. */
    public static final String PARTITION_KEY = PREFIX + "partitionkey";

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

    private RabbitHeaders() {
    }

    /**
     * The header that carries an attribute.
     * @param attribute the attribute name, such as {@code id}
     * @return the header name, such as {@code cloudEvents_id}
     */
    public static String of(String attribute) {
        return PREFIX + attribute;
    }

    /**
     * Whether a header is one eventbus adds to a dead letter, which a replay removes.
     * @param name the header name
     * @return {@code true} for the dead-letter headers
     */
    static boolean isDeadLetterHeader(String name) {
        return name.startsWith("eventbus-dlt-") || name.equals(ATTEMPTS);
    }

    /**
     * Whether an attribute is carried in the AMQP {@code content-type} property.
     * @param attribute the attribute name
     * @return {@code true} for {@code datacontenttype}
     */
    static boolean isContentType(String attribute) {
        return CloudEventAttributes.DATA_CONTENT_TYPE.equals(attribute);
    }

}
