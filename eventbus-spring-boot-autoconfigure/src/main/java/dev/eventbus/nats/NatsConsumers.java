package dev.eventbus.nats;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.eventbus.transport.BatchOutcome;
import dev.eventbus.transport.ConsumerEndpoint;
import dev.eventbus.transport.ConsumerTransport;
import dev.eventbus.transport.InboundBatchHandler;
import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamStatusCheckedException;
import io.nats.client.Message;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The consumer side of the NATS transport: for each endpoint, {@code concurrency} threads, each
 * reading its share of the partitions through their durable pull consumers, but only those whose
 * lease it holds ({@link NatsPartitionLeases}, renewed in the background), fetching what each has
 * without waiting and pausing briefly when none had anything. A batch is fetched, handed to the core, and the
 * messages it reports done are acknowledged after their handler transaction committed. To deliver
 * the rest again, after a pause that grows while the failure lasts, and when it takes a partition
 * over from an instance that stopped or died, a reader rewinds the partition's consumer to its
 * first unacknowledged message, so that nothing newer overtakes it. At each claim, every 5 s, a
 * reader creates the consumers of its partitions again if they are gone, with their stream if an
 * operator deleted it. A reader survives whatever reading or handling throws, {@link Error}s
 * included; should its thread still end, it gives up its leases and its subscription reports
 * itself inactive.
 */
public class NatsConsumers implements ConsumerTransport {

    private static final Log logger = LogFactory.getLog(NatsConsumers.class);

    private static final Duration RENEWAL = NatsPartitionLeases.TTL.dividedBy(3);

    private static final Duration MAX_PAUSE = Duration.ofSeconds(30);

    private static final Duration IDLE_PAUSE = Duration.ofMillis(20);

    private final Connection connection;

    private final NatsStreams streams;

    private final NatsPartitionLeases leases;

    private final int batchSize;

    private final Duration shutdownTimeout;

    private int subscriptions;

    private @Nullable ScheduledExecutorService renewals;

    /**
     * Creates the consumers' factory.
     * @param connection fetches
     * @param streams creates and rewinds the consumers
     * @param leases tells which partitions this instance reads
     * @param batchSize the most messages handed to the core at once
     * @param shutdownTimeout how long a stop waits for the batches in progress before it abandons
     * them
     */
    public NatsConsumers(Connection connection, NatsStreams streams, NatsPartitionLeases leases, int batchSize,
            Duration shutdownTimeout) {
        this.connection = connection;
        this.streams = streams;
        this.leases = leases;
        this.batchSize = batchSize;
        this.shutdownTimeout = shutdownTimeout;
    }

    @Override
    public void prepare(List<ConsumerEndpoint> endpoints) {
        NatsStreams.refuseSharedConsumers(endpoints);
        endpoints.stream()
            .map((endpoint) -> NatsStreams.sharedConsumersWarning(endpoint.topic(), endpoint.group()))
            .filter(Objects::nonNull)
            .forEach(logger::warn);
        endpoints.forEach((endpoint) -> this.streams.ensureGroup(endpoint.topic(), endpoint.group()));
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
                long deadline = System.nanoTime() + NatsConsumers.this.shutdownTimeout.toNanos();
                readers.forEach((reader) -> reader.awaitStopped(deadline));
                stopRenewals();
            }

            @Override
            public boolean isActive() {
                return readers.stream().allMatch(Reader::isReading);
            }

        };
    }

    /**
     * Renews the leases in the background, so that a reader busy with long batches or pausing
     * after a failure keeps its partitions.
     */
    private synchronized void startRenewals() {
        if (this.subscriptions++ == 0) {
            ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
                Thread thread = new Thread(task, "eventbus-nats-leases");
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
            this.leases.renewAll();
        }
        catch (RuntimeException ex) {
            logger.warn("Could not renew the partition leases: " + ex.getMessage());
        }
    }

    @Override
    public OptionalLong lag(ConsumerEndpoint endpoint) {
        return OptionalLong.of(this.streams.lag(endpoint.topic(), endpoint.group()));
    }

    /**
     * One thread of an endpoint, reading the partitions whose number modulo the concurrency is its
     * index, as far as it holds their leases.
     */
    private final class Reader {

        private final ConsumerEndpoint endpoint;

        private final InboundBatchHandler handler;

        private final List<Integer> partitions = new ArrayList<>();

        private final Map<Integer, ConsumerContext> owned = new LinkedHashMap<>();

        private final Thread thread;

        private volatile boolean reading = true;

        private Instant nextClaim = Instant.MIN;

        private int failures;

        Reader(ConsumerEndpoint endpoint, InboundBatchHandler handler, int index) {
            this.endpoint = endpoint;
            this.handler = handler;
            for (int partition = index; partition < NatsConsumers.this.streams.partitions(); partition += endpoint
                .concurrency()) {
                this.partitions.add(partition);
            }
            this.thread = new Thread(this::readUntilStopped, endpoint.id() + "-" + index);
            this.thread.setDaemon(true);
        }

        void start() {
            this.thread.start();
        }

        void stopReading() {
            this.reading = false;
        }

        /**
         * Waits until the thread ended, at most until a deadline; then abandons it, still running
         * a handler that ignores interrupts: its messages are not acknowledged, and its leases
         * expire since they are no longer renewed.
         */
        void awaitStopped(long deadline) {
            try {
                this.thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            if (this.thread.isAlive()) {
                logger.error("The reader " + this.thread.getName() + " of " + this.endpoint.id() + " did not finish its"
                        + " batch within " + NatsConsumers.this.shutdownTimeout + "; abandoning it, its messages are"
                        + " delivered again");
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
                        sleep(pause);
                    }
                }
            }
            finally {
                if (this.reading) {
                    logger.error("The reader " + this.thread.getName() + " of " + this.endpoint.id()
                            + " ended unexpectedly; giving up its partitions so that other instances read them");
                }
                for (int partition : new ArrayList<>(this.owned.keySet())) {
                    drop(partition);
                    releaseQuietly(partition);
                }
            }
        }

        /**
         * Gives up a lease; if that fails, as for a reader abandoned at a stop whose connection
         * has closed since, the lease expires.
         */
        private void releaseQuietly(int partition) {
            try {
                NatsConsumers.this.leases.release(leaseKey(partition));
            }
            catch (RuntimeException ex) {
                logger.debug("Could not give up the lease of partition " + partition + " of " + this.endpoint.id()
                        + ", it expires: " + ex.getMessage());
            }
        }

        private String leaseKey(int partition) {
            return NatsPartitionLeases.key(this.endpoint.group(), this.endpoint.topic(), partition);
        }

        private void claim() {
            Instant now = Instant.now();
            if (now.isBefore(this.nextClaim)) {
                return;
            }
            this.nextClaim = now.plus(RENEWAL);
            for (int partition : this.partitions) {
                boolean held = NatsConsumers.this.leases.acquire(leaseKey(partition)) >= 0;
                if (held && !this.owned.containsKey(partition)) {
                    NatsConsumers.this.streams.rewind(this.endpoint.topic(), this.endpoint.group(), partition);
                    this.owned.put(partition, subscribe(partition));
                }
                else if (held && NatsConsumers.this.streams.ensureConsumer(this.endpoint.topic(),
                        this.endpoint.group(), partition)) {
                    this.owned.put(partition, subscribe(partition));
                }
                else if (!held && this.owned.containsKey(partition)) {
                    drop(partition);
                }
            }
        }

        private ConsumerContext subscribe(int partition) {
            try {
                return NatsConsumers.this.connection.getConsumerContext(NatsStreams.stream(this.endpoint.topic()),
                        NatsStreams.consumer(this.endpoint.group(), partition));
            }
            catch (IOException | JetStreamApiException ex) {
                throw new IllegalStateException("Cannot read partition " + partition + " of " + this.endpoint.id()
                        + ": " + ex.getMessage(), ex);
            }
        }

        private void drop(int partition) {
            this.owned.remove(partition);
        }

        private List<Message> fetch(ConsumerContext consumer) {
            List<Message> messages = new ArrayList<>();
            try {
                FetchConsumer fetch = consumer.fetch(FetchConsumeOptions.builder()
                    .maxMessages(NatsConsumers.this.batchSize)
                    .noWait()
                    .build());
                Message message;
                while ((message = fetch.nextMessage()) != null) {
                    messages.add(message);
                }
                return messages;
            }
            catch (IOException | JetStreamApiException | JetStreamStatusCheckedException ex) {
                throw new IllegalStateException("Cannot fetch from " + this.endpoint.id() + ": " + ex.getMessage(), ex);
            }
            catch (InterruptedException ex) {
                Thread.interrupted();
                return messages;
            }
        }

        /**
         * Fetches a batch of each partition this reader holds and hands it to the core.
         * @return how long to wait before reading again
         */
        private Duration readOnce() {
            claim();
            if (this.owned.isEmpty()) {
                return RENEWAL.dividedBy(5);
            }
            boolean fetchedAny = false;
            for (Map.Entry<Integer, ConsumerContext> entry : new ArrayList<>(this.owned.entrySet())) {
                if (!this.reading) {
                    break;
                }
                if (!NatsConsumers.this.leases.holds(leaseKey(entry.getKey()))) {
                    drop(entry.getKey());
                    continue;
                }
                List<Message> fetched = fetch(entry.getValue());
                if (fetched.isEmpty()) {
                    continue;
                }
                fetchedAny = true;
                List<NatsInboundMessage> messages = new ArrayList<>(fetched.size());
                fetched.forEach((message) -> messages.add(new NatsInboundMessage(message, this.endpoint.topic(),
                        entry.getKey())));
                BatchOutcome outcome;
                try {
                    outcome = this.handler.handle(messages);
                }
                catch (RuntimeException ex) {
                    outcome = new BatchOutcome(0, ex);
                }
                catch (Error error) {
                    outcome = new BatchOutcome(0, new IllegalStateException("Handling failed with " + error, error));
                }
                for (int i = 0; i < outcome.completed(); i++) {
                    messages.get(i).message().ack();
                }
                if (outcome.redeliveryCause() != null) {
                    Duration pause = failed(outcome.redeliveryCause());
                    sleep(pause);
                    drop(entry.getKey());
                    if (NatsConsumers.this.leases.acquire(leaseKey(entry.getKey())) >= 0) {
                        NatsConsumers.this.streams.rewind(this.endpoint.topic(), this.endpoint.group(),
                                entry.getKey());
                        this.owned.put(entry.getKey(), subscribe(entry.getKey()));
                    }
                    return Duration.ZERO;
                }
            }
            this.failures = 0;
            return fetchedAny ? Duration.ZERO : IDLE_PAUSE;
        }

        private Duration failed(Exception ex) {
            this.failures++;
            Duration pause = Duration.ofMillis(500).multipliedBy(1L << Math.min(this.failures - 1, 6));
            pause = (pause.compareTo(MAX_PAUSE) > 0) ? MAX_PAUSE : pause;
            logger.warn("Reading " + this.endpoint.id() + " failed (" + this.failures + " in a row), reading again in "
                    + pause.toMillis() + " ms: " + ex.getMessage(), (this.failures == 1) ? ex : null);
            return pause;
        }

        private void sleep(Duration pause) {
            long end = System.nanoTime() + pause.toNanos();
            while (this.reading && System.nanoTime() < end) {
                try {
                    Thread.sleep(Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                }
                catch (InterruptedException ex) {
                    Thread.interrupted();
                }
            }
        }

    }

}
