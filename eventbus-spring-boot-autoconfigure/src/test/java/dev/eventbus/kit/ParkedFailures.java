package dev.eventbus.kit;

import java.util.UUID;

import dev.eventbus.outbox.ParkedOutboxEvents;
import org.jspecify.annotations.Nullable;

/**
 * Reads why the relay parked an event.
 */
public final class ParkedFailures {

    private ParkedFailures() {
    }

    /**
     * The reason an event is parked with.
     * @param parked the parked events
     * @param eventId the event
     * @return the broker's reason, or {@code null} while the event is not parked
     */
    public static @Nullable String of(ParkedOutboxEvents parked, UUID eventId) {
        return parked.oldest(1000)
            .stream()
            .filter((event) -> event.eventId().equals(eventId))
            .map(ParkedOutboxEvents.ParkedEvent::failure)
            .findFirst()
            .orElse(null);
    }

}
