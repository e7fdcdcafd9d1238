package dev.eventbus.relay;

import org.jspecify.annotations.Nullable;

/**
 * The result of one relay round.
 *
 * @param published the number of events the broker acknowledged
 * @param moreWork whether the next round may find work at once: this one found some
 * @param failure the first send failure, or {@code null}
 */
public record RoundResult(int published, boolean moreWork, @Nullable Throwable failure) {

    /** A round that found nothing to do. */
    public static final RoundResult IDLE = new RoundResult(0, false, null);

}
