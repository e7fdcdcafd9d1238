package dev.eventbus.relay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

import dev.eventbus.outbox.JdbcOutboxRepository;
import dev.eventbus.schema.BatchedDeletes;

/**
 * Deletes published outbox rows older than the retention period, a bounded batch per statement so
 * that no statement holds many locks or runs long.
 */
public class OutboxRetention {

    private final JdbcOutboxRepository repository;

    private final Duration retention;

    private final Clock clock;

    /**
     * Creates the retention.
     * @param repository the outbox
     * @param retention how long published rows are kept
     * @param clock the current time
     */
    public OutboxRetention(JdbcOutboxRepository repository, Duration retention, Clock clock) {
        this.repository = repository;
        this.retention = retention;
        this.clock = clock;
    }

    /**
     * Deletes every expired row, batch by batch.
     * @return the number of rows deleted
     */
    public int deleteExpired() {
        return deleteExpired(() -> false);
    }

    /**
     * Deletes expired rows, batch by batch, until none is left or the caller stops.
     * @param stopped tells whether to stop before the next batch
     * @return the number of rows deleted
     */
    public int deleteExpired(BooleanSupplier stopped) {
        Instant cutoff = this.clock.instant().minus(this.retention);
        return BatchedDeletes.untilExhausted((limit) -> this.repository.deletePublishedBefore(cutoff, limit), stopped);
    }

}
