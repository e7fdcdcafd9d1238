package dev.eventbus.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The size and age of the outbox backlog and the number of parked events, read with three small
 * queries and reused for a few seconds, so frequent scrapes and health checks stay cheap on a
 * large outbox.
 */
public class OutboxStatistics {

    private final JdbcOutboxRepository repository;

    private final ParkedOutboxEvents parkedEvents;

    private final Duration maxAge;

    private final Clock clock;

    private volatile @Nullable Snapshot snapshot;

    /**
     * Creates the statistics.
     * @param repository the outbox
     * @param parkedEvents the events the broker refused for good
     * @param maxAge how long a reading is reused
     * @param clock the current time
     */
    public OutboxStatistics(JdbcOutboxRepository repository, ParkedOutboxEvents parkedEvents, Duration maxAge,
            Clock clock) {
        this.repository = repository;
        this.parkedEvents = parkedEvents;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /**
     * The backlog, read at most {@code maxAge} ago.
     * @return the reading, never {@code null}
     */
    public Snapshot current() {
        Instant now = this.clock.instant();
        Snapshot current = this.snapshot;
        if (current == null || current.readAt().plus(this.maxAge).isBefore(now)) {
            current = new Snapshot(this.repository.countPending(),
                    this.repository.oldestPendingCreatedAt().orElse(null), this.parkedEvents.count(), now);
            this.snapshot = current;
        }
        return current;
    }

    /**
     * One reading of the backlog.
     *
     * @param pending the number of unpublished events
     * @param oldestPending when the oldest of them was published, or {@code null} if none is
     * @param failed the number of events parked because the broker refused them for good
     * @param readAt when the reading was taken
     */
    public record Snapshot(long pending, @Nullable Instant oldestPending, long failed, Instant readAt) {

        /**
         * How old the oldest unpublished event was when read.
         * @return the age, zero if nothing is pending
         */
        public Duration lag() {
            return (this.oldestPending != null) ? Duration.between(this.oldestPending, this.readAt) : Duration.ZERO;
        }

    }

}
