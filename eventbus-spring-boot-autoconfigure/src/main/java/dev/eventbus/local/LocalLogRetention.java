package dev.eventbus.local;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.eventbus.schema.BatchedDeletes;
import dev.eventbus.schema.ScheduledRetention;

/**
 * Deletes the messages of the {@code local} transport's log that are older than the outbox
 * retention and read by every consumer group of their topic, once a minute, a bounded batch per
 * statement. A message some group has not read yet is kept, however old.
 */
public class LocalLogRetention extends ScheduledRetention {

    private final LocalLog log;

    private final Duration retention;

    private final Clock clock;

    /**
     * Creates the retention.
     * @param log the log
     * @param retention how long read messages are kept
     * @param clock the current time
     */
    public LocalLogRetention(LocalLog log, Duration retention, Clock clock) {
        super("eventbus-local-retention", "read messages of the local transport's log");
        this.log = log;
        this.retention = retention;
        this.clock = clock;
    }

    /**
     * Deletes every expired message, batch by batch.
     * @return the number of messages deleted
     */
    @Override
    public int deleteExpired() {
        Instant cutoff = this.clock.instant().minus(this.retention);
        return BatchedDeletes.untilExhausted((limit) -> this.log.deleteReadBefore(cutoff, limit));
    }

}
