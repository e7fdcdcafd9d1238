package dev.eventbus.local;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import dev.eventbus.outbox.OutboxLanes;
import dev.eventbus.transport.BatchOutcome;
import dev.eventbus.transport.ConsumerEndpoint;
import dev.eventbus.transport.ConsumerTransport;
import dev.eventbus.transport.InboundBatchHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The consumer side of the {@code local} transport: for each endpoint, {@code concurrency}
 * threads, each reading its share of the partitions from the group's cursors, a batch per
 * partition at a time, and moving a cursor only past the messages the core reports done.
 * <p>
 * A thread reads only the partitions whose lease this instance holds; the leases are renewed in
 * the background and given up when the subscription stops, so another instance of the group
 * takes a partition over at once after a stop and {@value #LEASE_SECONDS} seconds after a crash;
 * leases are timed by the database's clock. A reader survives whatever reading or handling
 * throws, {@link Error}s included, by pausing; should its thread still end, it gives up its
 * partitions and its subscription reports itself inactive.
 * Threads wake when this application's relay appended to their topic, else poll.
 */
public class LocalConsumerTransport implements ConsumerTransport {

    private static final Log logger = LogFactory.getLog(LocalConsumerTransport.class);

    static final int LEASE_SECONDS = 15;

    private static final Duration LEASE = Duration.ofSeconds(LEASE_SECONDS);

    private static final Duration RENEWAL = LEASE.dividedBy(3);

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final LocalLog log;

    private final LocalCursors cursors;

    private final LocalSignals signals;

    private final int batchSize;

    private final Duration pollInterval;

    private final Duration shutdownTimeout;

    private final Clock clock;

    private final String owner = UUID.randomUUID().toString();

    private int subscriptions;

    private @Nullable ScheduledExecutorService renewals;

    /**
     * Creates the transport.
     * @param log the log
     * @param cursors the groups' cursors
     * @param signals wakes the readers when this application appended
     * @param batchSize the most messages handed to the core at once
     * @param pollInterval how often a reader without news looks at the log
     * @param shutdownTimeout how long a stop waits for the batches in progress before it abandons
     * them
     * @param clock times the claims; the leases themselves are timed by the database's clock
     */
    public LocalConsumerTransport(LocalLog log, LocalCursors cursors, LocalSignals signals, int batchSize,
            Duration pollInterval, Duration shutdownTimeout, Clock clock) {
        this.log = log;
        this.cursors = cursors;
        this.signals = signals;
        this.batchSize = batchSize;
        this.pollInterval = pollInterval;
        this.shutdownTimeout = shutdownTimeout;
        this.clock = clock;
    }

    @Override
    public Subscription subscribe(ConsumerEndpoint endpoint, InboundBatchHandler handler) {
        List<Reader> readers = new ArrayList<>();
        for (int index = 0; index < endpoint.concurrency(); index++) {
            readers.add(new Reader(endpoint, handler, index));
        }
        startRenewals();
        readers.forEach(Reader::start);
        return new Subscription() {

            @Override
            public void stop() {
                readers.forEach(Reader::stopReading);
                long deadline = System.nanoTime() + LocalConsumerTransport.this.shutdownTimeout.toNanos();
                readers.stream().filter((reader) -> reader.awaitStopped(deadline)).forEach(Reader::release);
                stopRenewals();
            }

            @Override
            public boolean isActive() {
                return readers.stream().allMatch(Reader::isReading);
            }

        };
    }

    @Override
    public OptionalLong lag(ConsumerEndpoint endpoint) {
        return this.cursors.lag(endpoint.group(), endpoint.topic());
    }

    private synchronized void startRenewals() {
        if (this.subscriptions++ == 0) {
            ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
                Thread thread = new Thread(task, "eventbus-local-leases");
                thread.setDaemon(true);
                return thread;
            });
            executor.scheduleWithFixedDelay(this::renewQuietly, RENEWAL.toMillis(), RENEWAL.toMillis(),
                    TimeUnit.MILLISECONDS);
            this.renewals = executor;
        }
    }

    private synchronized void stopRenewals() {
        if (--this.subscriptions == 0 && this.renewals != null) {
            this.renewals.shutdownNow();
            this.renewals = null;
        }
    }

    private void renewQuietly() {
        try {
            this.cursors.renew(this.owner, LEASE);
        }
        catch (RuntimeException ex) {
            logger.warn("Could not renew the leases of the local transport's readers: " + ex.getMessage());
        }
    }

    /**
     * One thread of an endpoint, reading the partitions whose number modulo the concurrency is its
     * index.
     */
    private final class Reader {

        private final ConsumerEndpoint endpoint;

        private final InboundBatchHandler handler;

        private final List<Integer> partitions = new ArrayList<>();

        private final Semaphore wakeUp = new Semaphore(0);

        private final Thread thread;

        private volatile boolean reading = true;

        private Instant nextClaim = Instant.MIN;

        private boolean cursorsCreated;

        private int failures;

        Reader(ConsumerEndpoint endpoint, InboundBatchHandler handler, int index) {
            this.endpoint = endpoint;
            this.handler = handler;
            for (int partition = index; partition < OutboxLanes.COUNT; partition += endpoint.concurrency()) {
                this.partitions.add(partition);
            }
            this.thread = new Thread(this::readUntilStopped, endpoint.id() + "-" + index);
            this.thread.setDaemon(true);
        }

        void start() {
            LocalConsumerTransport.this.signals.subscribe(this.endpoint.topic(), this.wakeUp);
            this.thread.start();
        }

        void stopReading() {
            this.reading = false;
            this.wakeUp.release();
        }

        /**
         * Waits until the thread ended, at most until a deadline; then abandons it, still running
         * a handler that ignores interrupts: its partitions are not given up, so that no other
         * instance reads them before their leases expire.
         * @return whether the thread ended
         */
        boolean awaitStopped(long deadline) {
            try {
                this.thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            if (this.thread.isAlive()) {
                logger.error("The reader " + this.thread.getName() + " of " + this.endpoint.id()
                        + " did not finish its batch within " + LocalConsumerTransport.this.shutdownTimeout
                        + "; abandoning it, its messages are read again once its leases expired");
            }
            LocalConsumerTransport.this.signals.unsubscribe(this.endpoint.topic(), this.wakeUp);
            return !this.thread.isAlive();
        }

        /**
         * Gives up the leases of this reader's partitions, so that another instance reads them at once.
         */
        void release() {
            try {
                LocalConsumerTransport.this.cursors.release(this.endpoint.group(), this.endpoint.topic(),
                        LocalConsumerTransport.this.owner, this.partitions);
            }
            catch (RuntimeException ex) {
                logger.warn("Could not give up the leases of " + this.thread.getName() + " of " + this.endpoint.id()
                        + ", another instance takes them over when they expire: " + ex.getMessage());
            }
        }

        boolean isReading() {
            return this.thread.isAlive() || !this.reading;
        }

        private void readUntilStopped() {
            try {
                while (this.reading) {
                    Duration pause;
                    try {
                        pause = readOnce();
                    }
                    catch (RuntimeException ex) {
                        pause = failed(ex);
                    }
                    catch (Error error) {
                        pause = failed(new IllegalStateException("Reading failed with " + error, error));
                    }
                    if (!pause.isZero()) {
                        await(pause, this.failures == 0);
                    }
                }
            }
            finally {
                if (this.reading) {
                    releaseAfterUnexpectedEnd();
                }
            }
        }

        private void releaseAfterUnexpectedEnd() {
            logger.error("The reader " + this.thread.getName() + " of " + this.endpoint.id()
                    + " ended unexpectedly; giving up its partitions so that other instances read them");
            release();
        }

        /**
         * Waits for a pause to pass; a poll also ends when this application appended to the topic,
         * a back-off after a failure only when the subscription stops.
         */
        private void await(Duration pause, boolean wakeOnAppend) {
            long deadline = System.nanoTime() + pause.toNanos();
            long remaining;
            while (this.reading && (remaining = deadline - System.nanoTime()) > 0) {
                try {
                    if (this.wakeUp.tryAcquire(remaining, TimeUnit.NANOSECONDS) && wakeOnAppend) {
                        return;
                    }
                }
                catch (InterruptedException ex) {
                    Thread.interrupted();
                }
            }
        }

        /**
         * Reads a batch of each partition with unread messages and hands it to the core.
         * @return how long to wait before reading again
         */
        private Duration readOnce() {
            String group = this.endpoint.group();
            String topic = this.endpoint.topic();
            LocalCursors cursors = LocalConsumerTransport.this.cursors;
            Instant now = LocalConsumerTransport.this.clock.instant();
            if (!this.cursorsCreated) {
                cursors.create(group, topic, this.partitions);
                this.cursorsCreated = true;
            }
            if (!now.isBefore(this.nextClaim)) {
                cursors.claim(group, topic, this.partitions, LocalConsumerTransport.this.owner, LEASE);
                this.nextClaim = now.plus(RENEWAL);
            }
            Map<Integer, Long> unread = cursors.unread(group, topic, LocalConsumerTransport.this.owner);
            unread.keySet().retainAll(this.partitions);
            if (unread.isEmpty()) {
                this.failures = 0;
                return LocalConsumerTransport.this.pollInterval;
            }
            for (Map.Entry<Integer, Long> partition : unread.entrySet()) {
                if (!this.reading) {
                    break;
                }
                List<LocalMessage> messages = LocalConsumerTransport.this.log.read(topic, partition.getKey(),
                        partition.getValue(), LocalConsumerTransport.this.batchSize);
                if (messages.isEmpty()) {
                    continue;
                }
                BatchOutcome outcome = this.handler.handle(messages);
                if (outcome.completed() > 0 && !cursors.advance(group, topic, partition.getKey(),
                        LocalConsumerTransport.this.owner, messages.get(outcome.completed() - 1).sequenceNo())) {
                    this.nextClaim = Instant.MIN;
                }
                if (outcome.redeliveryCause() != null) {
                    return failed(outcome.redeliveryCause());
                }
            }
            this.failures = 0;
            return Duration.ZERO;
        }

        private Duration failed(Exception ex) {
            this.failures++;
            Duration backoff = Duration.ofMillis(500).multipliedBy(1L << Math.min(this.failures - 1, 6));
            backoff = (backoff.compareTo(MAX_BACKOFF) > 0) ? MAX_BACKOFF : backoff;
            logger.warn("Reading " + this.endpoint.id() + " failed (" + this.failures + " in a row), reading again in "
                    + backoff.toMillis() + " ms: " + ex.getMessage(), (this.failures == 1) ? ex : null);
            return backoff;
        }

    }

}
