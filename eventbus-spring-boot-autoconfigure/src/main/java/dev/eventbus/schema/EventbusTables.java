package dev.eventbus.schema;

import java.util.regex.Pattern;

/**
 * The names of the tables eventbus owns, all starting with one prefix.
 *
 * @param prefix the prefix, a plain SQL identifier such as {@code eventbus_}
 */
public record EventbusTables(String prefix) {

    private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,39}");

    /** The tables with the default prefix {@code eventbus_}. */
    public static final EventbusTables DEFAULT = new EventbusTables("eventbus_");

    /**
     * Creates the names.
     * @param prefix the prefix
     * @throws IllegalArgumentException if the prefix is not a plain SQL identifier
     */
    public EventbusTables {
        if (!isPlainIdentifier(prefix)) {
            throw new IllegalArgumentException("Table prefix '" + prefix
                    + "' is not a plain SQL identifier (letters, digits and underscores, at most 40)");
        }
    }

    /**
     * Whether a value can be used as a table name or prefix without quoting.
     * @param value the candidate
     * @return {@code true} for letters, digits and underscores not starting with a digit
     */
    public static boolean isPlainIdentifier(String value) {
        return PLAIN_IDENTIFIER.matcher(value).matches();
    }

    /** @return the outbox table, one row per published event */
    public String outbox() {
        return this.prefix + "outbox";
    }

    /** @return the table with one row per lane, locked by the relay instance working on that lane */
    public String outboxLane() {
        return this.prefix + "outbox_lane";
    }

    /** @return the table of outbox rows the broker refused for good, parked until retried */
    public String outboxFailed() {
        return this.prefix + "outbox_failed";
    }

    /** @return the table of event ids each consumer group has processed */
    public String processedEvent() {
        return this.prefix + "processed_event";
    }

    /** @return the log of the {@code local} transport: the messages of each topic and partition */
    public String localMessage() {
        return this.prefix + "local_message";
    }

    /** @return the last sequence number of each topic and partition of the {@code local} transport */
    public String localPartition() {
        return this.prefix + "local_partition";
    }

    /** @return the position and owner of each consumer group in each partition of the {@code local} transport */
    public String localCursor() {
        return this.prefix + "local_cursor";
    }

    /** @return the dead letters of the {@code local} transport */
    public String localDeadLetter() {
        return this.prefix + "local_dead_letter";
    }

    /** @return the Flyway history table of eventbus's own migrations */
    public String schemaHistory() {
        return this.prefix + "schema_history";
    }

}
