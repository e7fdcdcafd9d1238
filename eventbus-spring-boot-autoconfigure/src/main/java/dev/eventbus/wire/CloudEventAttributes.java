package dev.eventbus.wire;

/**
 * Names of the CloudEvents 1.0 attributes eventbus writes and reads, and the extension it adds.
 * A transport carries them under its binding's header names (on Kafka {@code ce_id}, …).
 */
public final class CloudEventAttributes {

    /** The CloudEvents specification version, always {@value #SPEC_VERSION_1_0}. */
    public static final String SPEC_VERSION = "specversion";

    /** The event id, unique per source; eventbus uses time-ordered UUIDs. */
    public static final String ID = "id";

    /** The producing application. */
    public static final String SOURCE = "source";

    /** The {@code @EventType} name. */
    public static final String TYPE = "type";

    /** When the event was published, as an RFC 3339 timestamp. */
    public static final String TIME = "time";

    /** The {@code @EventType} version, an extension attribute. */
    public static final String EVENT_VERSION = "eventversion";

    /** The event key, the CloudEvents partitioning extension attribute. */
    public static final String PARTITION_KEY = "partitionkey";

    /** The media type of the data. */
    public static final String DATA_CONTENT_TYPE = "datacontenttype";

    /** The only CloudEvents version written. */
    public static final String SPEC_VERSION_1_0 = "1.0";

    /** The content type of every event eventbus writes. */
    public static final String APPLICATION_JSON = "application/json";

    /** The content type of a CloudEvent in structured content mode. */
    public static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json";

    private CloudEventAttributes() {
    }

}
