package dev.eventbus.relay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

import dev.eventbus.outbox.OutboxCommitListener;
import dev.eventbus.outbox.OutboxEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.NestedExceptionUtils;

/**
 * Moves events from the outbox to the broker, through the transport, on threads of its own. Each runs rounds while there is work,
 * waking the others to help, then sleeps until a commit wakes it or the poll interval passes. After
 * a failure a thread backs off exponentially, ignoring wake-ups, and tries again; nothing is marked
 * published before the broker acknowledged it. Between rounds, once a minute, the relay deletes
 * expired published rows. Like a listener container's, its threads keep the application running
 * until the context closes.
 */
public class OutboxRelay implements SmartLifecycle, OutboxCommitListener {

    private static final Log logger = LogFactory.getLog(OutboxRelay.class);

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private static final Duration RETENTION_INTERVAL = Duration.ofMinutes(1);

    private final RelayRound round;

    private final OutboxRetention retention;

    private final Duration pollInterval;

    private final Clock clock;

    private final Semaphore wakeUps = new Semaphore(0);

    private final int concurrency;

    private final LoopThreads threads;

    private final Lock retentionLock = new ReentrantLock();

    private Instant nextRetention = Instant.MIN;

    /**
     * Creates a relay.
     * @param round one round of work
     * @param retention deletes expired published rows
     * @param pollInterval the longest sleep when no commit wakes the relay
     * @param concurrency the rounds run at the same time, each on a thread of its own
     * @param clock schedules the retention
     */
    public OutboxRelay(RelayRound round, OutboxRetention retention, Duration pollInterval, int concurrency,
            Clock clock) {
        this.round = round;
        this.retention = retention;
        this.pollInterval = pollInterval;
        this.concurrency = concurrency;
        this.clock = clock;
        this.threads = new LoopThreads("eventbus-relay", concurrency, false, Duration.ofSeconds(30));
    }

    /**
     * Wakes the relay for a round as soon as it is idle. Never blocks.
     */
    public void wake() {
        if (this.wakeUps.availablePermits() == 0) {
            this.wakeUps.release();
        }
    }

    @Override
    public void outboxCommitted(List<OutboxEvent> events) {
        wake();
    }

    @Override
    public void start() {
        this.threads.start(this::relayUntil);
    }

    @Override
    public void stop() {
        this.threads.stop(() -> this.wakeUps.release(this.concurrency));
    }

    @Override
    public boolean isRunning() {
        return this.threads.isRunning();
    }

    private void relayUntil(CountDownLatch stopSignal) {
        int failures = 0;
        while (stopSignal.getCount() > 0) {
            try {
                RoundResult result = this.round.run();
                if (result.failure() != null) {
                    throw new RelayException(result);
                }
                failures = 0;
                deleteExpiredIfDue(stopSignal);
                if (result.moreWork()) {
                    wake();
                }
                else {
                    this.wakeUps.tryAcquire(this.pollInterval.toNanos(), TimeUnit.NANOSECONDS);
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
            catch (RuntimeException ex) {
                failures++;
                Duration backoff = backoff(failures);
                logger.warn("Relay round failed (" + failures + " in a row), retrying in " + backoff.toMillis()
                        + " ms: " + ex.getMessage(), (failures == 1) ? ex : null);
                try {
                    stopSignal.await(backoff.toMillis(), TimeUnit.MILLISECONDS);
                }
                catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private Duration backoff(int failures) {
        Duration backoff = this.pollInterval.multipliedBy(1L << Math.min(failures - 1, 10));
        return (backoff.compareTo(MAX_BACKOFF) > 0) ? MAX_BACKOFF : backoff;
    }

    private void deleteExpiredIfDue(CountDownLatch stopSignal) {
        if (!this.retentionLock.tryLock()) {
            return;
        }
        try {
            Instant now = this.clock.instant();
            if (now.isAfter(this.nextRetention)) {
                this.nextRetention = now.plus(RETENTION_INTERVAL);
                int deleted = this.retention.deleteExpired(() -> stopSignal.getCount() == 0);
                if (deleted > 0 && logger.isDebugEnabled()) {
                    logger.debug("Deleted " + deleted + " published outbox rows past their retention");
                }
            }
        }
        finally {
            this.retentionLock.unlock();
        }
    }

    static final class RelayException extends RuntimeException {

        RelayException(RoundResult result) {
            super("The broker refused an event after " + result.published() + " were acknowledged: "
                    + NestedExceptionUtils.getMostSpecificCause(result.failure()), result.failure());
        }

    }

}
