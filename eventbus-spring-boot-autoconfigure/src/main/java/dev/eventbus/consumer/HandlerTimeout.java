package dev.eventbus.consumer;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Bounds how long a handler transaction runs: the transaction itself carries the timeout, so its
 * statements are cancelled by the database, and a watchdog interrupts the consuming thread when it
 * passes, so a handler waiting on anything else fails too. A work that fails after the timeout
 * fails with {@link HandlerTimeoutException}; the interrupt never outlives the work. Once the
 * consumers are stopping and the watchdog is shut down, a work runs to its end.
 */
public final class HandlerTimeout {

    private final ScheduledExecutorService watchdog;

    private final Duration timeout;

    /**
     * Creates the bound.
     * @param watchdog runs the alarms
     * @param timeout the longest a work may run
     */
    public HandlerTimeout(ScheduledExecutorService watchdog, Duration timeout) {
        this.watchdog = watchdog;
        this.timeout = timeout;
    }

    /**
     * Runs a work within the timeout.
     * @param <T> the result type
     * @param work the work, on the current thread
     * @return its result
     * @throws HandlerTimeoutException if it failed after the timeout passed
     */
    public <T> T call(Supplier<T> work) {
        Alarm alarm = new Alarm(Thread.currentThread());
        ScheduledFuture<?> scheduled;
        try {
            scheduled = this.watchdog.schedule(alarm::ring, this.timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (RejectedExecutionException ex) {
            return work.get();
        }
        try {
            return work.get();
        }
        catch (RuntimeException ex) {
            if (alarm.rang()) {
                throw new HandlerTimeoutException(this.timeout, ex);
            }
            throw ex;
        }
        finally {
            scheduled.cancel(false);
            if (alarm.silence()) {
                Thread.interrupted();
            }
        }
    }

    /**
     * Interrupts the worker once, unless the work ended before.
     */
    private static final class Alarm {

        private final Thread worker;

        private boolean rang;

        private boolean silenced;

        Alarm(Thread worker) {
            this.worker = worker;
        }

        synchronized void ring() {
            if (!this.silenced) {
                this.rang = true;
                this.worker.interrupt();
            }
        }

        synchronized boolean rang() {
            return this.rang;
        }

        /**
         * Keeps the alarm from ringing from now on.
         * @return whether it rang before
         */
        synchronized boolean silence() {
            this.silenced = true;
            return this.rang;
        }

    }

}
