package dev.eventbus.local;

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
 * Deletes the messages of the {@code local} transport's log that are older than the outbox
 * retention and read by every consumer group of their topic, once a minute, a bounded batch per
 * statement. A message some group has not read yet is kept, however old.
 */
public class LocalLogRetention implements SmartLifecycle {

    private static final Log logger = LogFactory.getLog(LocalLogRetention.class);

    private final LocalLog log;

    private final Duration retention;

    private final Clock clock;

    private @Nullable ScheduledExecutorService scheduler;

    /**
     * Creates the retention.
     * @param log the log
     * @param retention how long read messages are kept
     * @param clock the current time
     */
    public LocalLogRetention(LocalLog log, Duration retention, Clock clock) {
        this.log = log;
        this.retention = retention;
        this.clock = clock;
    }

    /**
     * Deletes every expired message, batch by batch.
     * @return the number of messages deleted
     */
    public int deleteExpired() {
        Instant cutoff = this.clock.instant().minus(this.retention);
        return BatchedDeletes.untilExhausted((limit) -> this.log.deleteReadBefore(cutoff, limit));
    }

    @Override
    public synchronized void start() {
        if (this.scheduler == null) {
            this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
                Thread thread = new Thread(task, "eventbus-local-retention");
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
            logger.warn("Deleting read messages of the local transport's log failed: " + ex.getMessage());
        }
    }

}
