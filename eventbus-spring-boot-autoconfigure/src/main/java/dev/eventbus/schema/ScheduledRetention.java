package dev.eventbus.schema;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * A clean-up of one of eventbus's tables that runs once a minute on a daemon thread of its own
 * while the application runs; a failed run is logged and tried again a minute later.
 */
public abstract class ScheduledRetention implements SmartLifecycle {

    private static final Log logger = LogFactory.getLog(ScheduledRetention.class);

    private final String threadName;

    private final String description;

    private @Nullable ScheduledExecutorService scheduler;

    /**
     * Creates the schedule.
     * @param threadName the name of the thread
     * @param description what is deleted, for the log, such as {@code expired processed-event ids}
     */
    protected ScheduledRetention(String threadName, String description) {
        this.threadName = threadName;
        this.description = description;
    }

    /**
     * Deletes everything that has expired, batch by batch.
     * @return the number of rows deleted
     */
    public abstract int deleteExpired();

    @Override
    public synchronized void start() {
        if (this.scheduler == null) {
            this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
                Thread thread = new Thread(task, this.threadName);
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
    public synchronized boolean isRunning() {
        return this.scheduler != null;
    }

    private void deleteExpiredQuietly() {
        try {
            deleteExpired();
        }
        catch (RuntimeException ex) {
            logger.warn("Deleting " + this.description + " failed: " + ex.getMessage());
        }
    }

}
