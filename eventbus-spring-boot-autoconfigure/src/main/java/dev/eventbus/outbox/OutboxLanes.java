package dev.eventbus.outbox;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Splits the outbox into a fixed number of lanes by event key. All events of one key share a lane,
 * and a lane is relayed by at most one instance at a time, which keeps per-key order.
 */
public final class OutboxLanes {

    /** The number of lanes; the migrations create one lock row per lane. */
    public static final int COUNT = 64;

    private OutboxLanes() {
    }

    /**
     * The lane of an event.
     * @param key the event key, or {@code null}
     * @param eventId the event id, which spreads events without key over all lanes
     * @return a lane from 0 to {@link #COUNT} - 1
     */
    public static int of(@Nullable String key, UUID eventId) {
        int hash = (key != null) ? key.hashCode() : eventId.hashCode();
        return Math.floorMod(hash, COUNT);
    }

}
