package dev.eventbus.transport;

import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Sends dead letters of a topic back to that topic, keeping their event ids so that
 * deduplication still holds; the replay source behind the {@code eventbus} endpoint.
 *
 * @since 0.2.0
 */
@FunctionalInterface
public interface DeadLetterReplayer {

    /**
     * Replays dead letters of a topic.
     * @param topic the original topic, such as {@code orders}
     * @param eventIds replay only these event ids, or {@code null} for any
     * @param limit replay at most this many, or {@code null} for no limit
     * @return the number of messages replayed
     */
    int replay(String topic, @Nullable Set<String> eventIds, @Nullable Integer limit);

}
