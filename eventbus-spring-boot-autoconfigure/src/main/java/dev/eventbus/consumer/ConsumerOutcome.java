package dev.eventbus.consumer;

import java.util.Locale;

/**
 * What happened to a received message; the {@code outcome} tag of {@code eventbus.consumer.events}.
 */
public enum ConsumerOutcome {

    /** The handlers ran and their transaction committed. */
    PROCESSED,

    /** The group had processed the event before; the handlers did not run. */
    DUPLICATE,

    /** No handler of the group knows the event type; skipped. */
    IGNORED,

    /** An attempt failed and the handlers will run again. */
    RETRIED,

    /** The message went to the dead letters. */
    DEAD_LETTERED;

    /**
     * The tag value, such as {@code dead-lettered}.
     * @return the lower-case, hyphenated name
     */
    public String tagValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

}
