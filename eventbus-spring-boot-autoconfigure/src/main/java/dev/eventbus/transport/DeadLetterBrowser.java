package dev.eventbus.transport;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Lists the dead letters a transport keeps where eventbus can read them, for the {@code eventbus}
 * endpoint; transports whose dead letters live in the broker's own topics offer none.
 *
 * @since 0.2.0
 */
public interface DeadLetterBrowser {

    /**
     * Counts the dead letters.
     * @return the number of dead letters kept
     */
    long count();

    /**
     * The oldest dead letters.
     * @param limit the most to return
     * @return the dead letters, oldest first
     */
    List<DeadLetter> oldest(int limit);

    /**
     * A dead letter as listed.
     *
     * @param group the consumer group that gave up
     * @param topic the original topic
     * @param eventId the CloudEvents id, or {@code null} for a message that had none
     * @param type the CloudEvents type, or {@code null}
     * @param key the event key, or {@code null}
     * @param cause the class and message of the exception that made it a dead letter
     * @param attempts the handling attempts made
     * @param deadLetteredAt when it was given up
     */
    record DeadLetter(String group, String topic, @Nullable String eventId, @Nullable String type,
            @Nullable String key, String cause, int attempts, Instant deadLetteredAt) {
    }

}
