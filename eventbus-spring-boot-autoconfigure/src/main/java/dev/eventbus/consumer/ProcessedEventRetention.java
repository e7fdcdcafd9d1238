package dev.eventbus.consumer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.eventbus.schema.BatchedDeletes;
import dev.eventbus.schema.ScheduledRetention;

/**
 * Deletes processed-event ids older than the retention period, once a minute, a bounded batch per
 * statement.
 */
public class ProcessedEventRetention extends ScheduledRetention {

    private final ProcessedEventRepository repository;

    private final Duration retention;

    private final Clock clock;

    /**
     * Creates the retention.
     * @param repository the processed-event table
     * @param retention how long ids are kept
     * @param clock the current time
     */
    public ProcessedEventRetention(ProcessedEventRepository repository, Duration retention, Clock clock) {
        super("eventbus-processed-retention", "expired processed-event ids");
        this.repository = repository;
        this.retention = retention;
        this.clock = clock;
    }

    /**
     * Deletes every expired id, batch by batch.
     * @return the number of ids deleted
     */
    @Override
    public int deleteExpired() {
        Instant cutoff = this.clock.instant().minus(this.retention);
        return BatchedDeletes.untilExhausted((limit) -> this.repository.deleteProcessedBefore(cutoff, limit));
    }

}
