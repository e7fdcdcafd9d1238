package dev.eventbus.wire;

/**
 * Kafka header names of the CloudEvents 1.0 Kafka protocol binding in binary content mode, and the
 * extensions eventbus adds.
 */
public final class CloudEventHeaders {

    /** The CloudEvents specification version, always {@value #SPEC_VERSION_1_0}. */
    public static final String SPEC_VERSION = "ce_specversion";

    /** The event id, unique per source; eventbus uses time-ordered UUIDs. */
    public static final String ID = "ce_id";

    /** The producing application. */
    public static final String SOURCE = "ce_source";

    /** The {@code @EventType} name. */
    public static final String TYPE = "ce_type";

    /** When the event was published, as an RFC 3339 timestamp. */
    public static final String TIME = "ce_time";

    /** The {@code @EventType} version, an extension attribute. */
    public static final String EVENT_VERSION = "ce_eventversion";

    /** The media type of the record value. */
    public static final String CONTENT_TYPE = "content-type";

    /** The only CloudEvents version written. */
    public static final String SPEC_VERSION_1_0 = "1.0";

    /** The content type of every value eventbus writes. */
    public static final String APPLICATION_JSON = "application/json";

    private CloudEventHeaders() {
    }

}
