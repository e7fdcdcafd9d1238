package dev.eventbus.transport;

import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Sends dead letters of a topic back to that topic, keeping their event ids so that
 * deduplication still holds; the replay source behind the {@code eventbus} endpoint. Each
 * replayed message carries the header {@value #GROUP_HEADER} naming the consumer group that
 * dead-lettered it, and every other group skips it, so that a replay, however old, never makes a
 * group that handled the event long ago, and has forgotten its id, handle it again.
 *
 * @since 0.2.0
 */
@FunctionalInterface
public interface DeadLetterReplayer {

    /** The header of a replayed message that names the only consumer group that handles it. */
    String GROUP_HEADER = "eventbus-replay-group";

    /**
     * Replays dead letters of a topic, each to the group that dead-lettered it only.
     * @param topic the original topic, such as {@code orders}
     * @param group replay only the dead letters of this consumer group, or {@code null} for those
     * of every group
     * @param eventIds replay only these event ids, or {@code null} for any
     * @param limit replay at most this many, or {@code null} for no limit
     * @return the number of messages replayed
     */
    int replay(String topic, @Nullable String group, @Nullable Set<String> eventIds, @Nullable Integer limit);

}
