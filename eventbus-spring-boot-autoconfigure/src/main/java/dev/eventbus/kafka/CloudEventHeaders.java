package dev.eventbus.kafka;

import java.util.Map;

import dev.eventbus.wire.CloudEventAttributes;

/**
 * Kafka header names of the CloudEvents 1.0 Kafka protocol binding in binary content mode: each
 * attribute under {@value #PREFIX} followed by its name, the data content type as
 * {@code content-type}.
 */
public final class CloudEventHeaders {

    /** The prefix of attribute headers. */
    public static final String PREFIX = "ce_";

    /** The specification version header. */
    public static final String SPEC_VERSION = PREFIX + CloudEventAttributes.SPEC_VERSION;

    /** The event id header. */
    public static final String ID = PREFIX + CloudEventAttributes.ID;

    /** The source header. */
    public static final String SOURCE = PREFIX + CloudEventAttributes.SOURCE;

    /** The event type header. */
    public static final String TYPE = PREFIX + CloudEventAttributes.TYPE;

    /** The event time header. */
    public static final String TIME = PREFIX + CloudEventAttributes.TIME;

    /** The event version header, an extension attribute. */
    public static final String EVENT_VERSION = PREFIX + CloudEventAttributes.EVENT_VERSION;

    /** The media type of the record value. */
    public static final String CONTENT_TYPE = "content-type";

    private static final Map<String, String> KNOWN = Map.of(CloudEventAttributes.SPEC_VERSION, SPEC_VERSION,
            CloudEventAttributes.ID, ID, CloudEventAttributes.SOURCE, SOURCE, CloudEventAttributes.TYPE, TYPE,
            CloudEventAttributes.TIME, TIME, CloudEventAttributes.EVENT_VERSION, EVENT_VERSION,
            CloudEventAttributes.DATA_CONTENT_TYPE, CONTENT_TYPE);

    private CloudEventHeaders() {
    }

    /**
     * The header that carries an attribute.
     * @param attribute the attribute name, such as {@code id}
     * @return the header name, such as {@code ce_id}
     */
    static String of(String attribute) {
        String known = KNOWN.get(attribute);
        return (known != null) ? known : PREFIX + attribute;
    }

}
