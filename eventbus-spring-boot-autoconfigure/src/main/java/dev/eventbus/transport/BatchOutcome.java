package dev.eventbus.transport;

import org.jspecify.annotations.Nullable;

/**
 * What the core did with a batch of received messages.
 *
 * @param completed how many messages, from the first, are done: handled, skipped as duplicates or
 * ignored, or dead-lettered; the transport acknowledges them
 * @param redeliveryCause why the remaining messages must be delivered again, after a pause, or
 * {@code null} if all are completed; an infrastructure failure such as an unreachable database
 * @since 0.2.0
 */
public record BatchOutcome(int completed, @Nullable Exception redeliveryCause) {

    /**
     * Creates an outcome.
     * @param completed how many messages are done, not negative
     * @param redeliveryCause why the others must be delivered again, or {@code null}
     */
    public BatchOutcome {
        if (completed < 0) {
            throw new IllegalArgumentException("completed must not be negative, but was " + completed);
        }
    }

    /**
     * A batch that is completely done.
     * @param size the number of messages
     * @return the outcome
     */
    public static BatchOutcome completed(int size) {
        return new BatchOutcome(size, null);
    }

}
