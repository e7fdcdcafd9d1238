package dev.eventbus.consumer;

import java.util.Set;
import java.util.TreeSet;

import dev.eventbus.EventMetadata;

/**
 * An event of a type the consumer group handles, in a version none of its handlers accepts. It
 * goes to the dead letters at once, never skipped, so that events of a version rolled out before
 * its consumers are kept until a handler for it is deployed and they are replayed.
 */
public class UnsupportedEventVersionException extends RuntimeException {

    /**
     * Creates the exception.
     * @param metadata the event's metadata
     * @param group the consumer group
     * @param versions the versions the group's handlers accept
     */
    public UnsupportedEventVersionException(EventMetadata metadata, String group, Set<Integer> versions) {
        super("Event " + metadata.id() + " of type " + metadata.type() + " has version " + metadata.version()
                + ", which no handler of group " + group + " accepts (versions " + new TreeSet<>(versions) + ")");
    }

}
