package dev.eventbus.consumer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.eventbus.schema.BatchedDeletes;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Deletes processed-event ids older than the retention period, once a minute, a bounded batch per
 * statement.
 */
public class ProcessedEventRetention implements SmartLifecycle {

    private static final Log logger = LogFactory.getLog(ProcessedEventRetention.class);

    private final ProcessedEventRepository repository;

    private final Duration retention;

    private final Clock clock;

    private @Nullable ScheduledExecutorService scheduler;

    /**
     * Creates the retention.
     * @param repository the processed-event table
     * @param retention how long ids are kept
     * @param clock the current time
     */
    public ProcessedEventRetention(ProcessedEventRepository repository, Duration retention, Clock clock) {
        this.repository = repository;
        this.retention = retention;
        this.clock = clock;
    }

    /**
     * Deletes every expired id, batch by batch.
     * @return the number of ids deleted
     */
    public int deleteExpired() {
        Instant cutoff = this.clock.instant().minus(this.retention);
        return BatchedDeletes.untilExhausted((limit) -> this.repository.deleteProcessedBefore(cutoff, limit));
    }

    @Override
    public synchronized void start() {
        if (this.scheduler == null) {
            this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
                Thread thread = new Thread(task, "eventbus-processed-retention");
                thread.setDaemon(true);
                return thread;
            });
            this.scheduler.scheduleWithFixedDelay(this::deleteExpiredQuietly, 1, 60, TimeUnit.SECONDS);
        }
    }

    @Override
    public synchronized void stop() {
        if (this.scheduler != null) {
            this.scheduler.shutdownNow();
            this.scheduler = null;
        }
    }

    @Override
    public boolean isRunning() {
        return this.scheduler != null;
    }

    private void deleteExpiredQuietly() {
        try {
            deleteExpired();
        }
        catch (RuntimeException ex) {
            logger.warn("Deleting expired processed-event ids failed: " + ex.getMessage());
        }
    }

}
