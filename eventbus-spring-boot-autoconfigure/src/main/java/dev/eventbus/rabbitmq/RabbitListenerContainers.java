package dev.eventbus.rabbitmq;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import dev.eventbus.transport.BatchOutcome;
import dev.eventbus.transport.ConsumerEndpoint;
import dev.eventbus.transport.ConsumerTransport;
import dev.eventbus.transport.InboundBatchHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.ChannelProxy;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareBatchMessageListener;

/**
 * The consumer side of the RabbitMQ transport: for each endpoint, one Spring AMQP listener
 * container consuming the group's partition queues of the topic, whose single active consumer
 * keeps each partition in order across instances. Messages arrive in batches with manual
 * acknowledgement: the messages the core reports done are acknowledged after their handler
 * transaction committed; the rest, and any prefetched after them, are returned to their queues,
 * in order, after a pause that grows while the failure lasts. Every 5 s the group's exchange,
 * queues, bindings and dead-letter queue are declared again, so that it consumes again after an
 * operator deleted them, and a container that stopped on its own (a consumer thread ended by an
 * {@link Error}, which the listener itself never lets escape) is started again.
 */
public class RabbitListenerContainers implements ConsumerTransport {

    private static final Log logger = LogFactory.getLog(RabbitListenerContainers.class);

    private static final Duration MAX_PAUSE = Duration.ofSeconds(30);

    /** How often a group's exchange, queues and bindings are declared again. */
    private static final Duration TOPOLOGY_CHECK = Duration.ofSeconds(5);

    private final ConnectionFactory connectionFactory;

    private final RabbitTopology topology;

    private final int batchSize;

    private final Duration shutdownTimeout;

    private final Map<String, AtomicLong> unacknowledged = new ConcurrentHashMap<>();

    private @Nullable ScheduledExecutorService topologyChecks;

    private int subscriptions;

    /**
     * Creates the containers' factory.
     * @param connectionFactory the application's connection factory, from {@code spring.rabbitmq.*}
     * @param topology the exchanges and queues
     * @param batchSize the most messages handed to the core at once
     * @param shutdownTimeout how long a stop waits for the batch in progress before it abandons it
     */
    public RabbitListenerContainers(ConnectionFactory connectionFactory, RabbitTopology topology, int batchSize,
            Duration shutdownTimeout) {
        this.connectionFactory = connectionFactory;
        this.topology = topology;
        this.batchSize = batchSize;
        this.shutdownTimeout = shutdownTimeout;
    }

    /**
     * Declares the groups' exchanges and queues; when the broker cannot be reached, the instance
     * starts all the same, and they are declared once it can (by the relay before it publishes,
     * and by the topology check every few seconds).
     */
    @Override
    public void prepare(List<ConsumerEndpoint> endpoints) {
        RabbitTopology.refuseSharedQueues(endpoints);
        endpoints.stream()
            .map((endpoint) -> RabbitTopology.sharedQueuesWarning(endpoint.topic(), endpoint.group()))
            .filter(Objects::nonNull)
            .forEach(logger::warn);
        endpoints.forEach((endpoint) -> this.topology.registerGroup(endpoint.topic(), endpoint.group()));
        try {
            endpoints.forEach((endpoint) -> this.topology.declareGroup(endpoint.topic(), endpoint.group()));
        }
        catch (AmqpConnectException ex) {
            logger.warn("RabbitMQ cannot be reached; the consumers start and declare their queues once it can: "
                    + ex.getMessage());
        }
    }

    @Override
    public Subscription subscribe(ConsumerEndpoint endpoint, InboundBatchHandler handler) {
        List<String> queues = new ArrayList<>();
        for (int partition = 0; partition < this.topology.partitions(); partition++) {
            queues.add(RabbitTopology.queue(endpoint.topic(), endpoint.group(), partition));
        }
        AtomicLong inFlight = this.unacknowledged.computeIfAbsent(endpoint.id(), (id) -> new AtomicLong());
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(this.connectionFactory);
        container.setBeanName(endpoint.id());
        container.setQueueNames(queues.toArray(String[]::new));
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        container.setConcurrentConsumers(endpoint.concurrency());
        container.setPrefetchCount(this.batchSize);
        container.setConsumerBatchEnabled(true);
        container.setBatchSize(this.batchSize);
        container.setBatchReceiveTimeout(50);
        container.setReceiveTimeout(50);
        container.setDefaultRequeueRejected(true);
        container.setShutdownTimeout(this.shutdownTimeout.toMillis());
        container.setMissingQueuesFatal(false);
        container.setRetryDeclarationInterval(TOPOLOGY_CHECK.toMillis());
        container.setJavaLangErrorHandler((error) -> logger.error("A consumer of " + endpoint.id()
                + " failed with an error; the container consumes again at the next topology check", error));
        container.setMessageListener(new BatchListener(endpoint, handler, inFlight));
        container.afterPropertiesSet();
        container.start();
        AtomicBoolean stopping = new AtomicBoolean();
        ScheduledFuture<?> topologyCheck = checkTopology(endpoint, () -> restartIfStopped(endpoint, container,
                stopping));
        return new Subscription() {

            @Override
            public void stop() {
                synchronized (stopping) {
                    stopping.set(true);
                }
                topologyCheck.cancel(false);
                try {
                    container.stop();
                }
                finally {
                    stopTopologyChecks();
                }
            }

            @Override
            public boolean isActive() {
                return stopping.get() || container.isRunning();
            }

        };
    }

    /**
     * Starts a container that stopped on its own again, as when its consumer thread ended.
     */
    private static void restartIfStopped(ConsumerEndpoint endpoint, SimpleMessageListenerContainer container,
            AtomicBoolean stopping) {
        synchronized (stopping) {
            if (!stopping.get() && !container.isRunning()) {
                logger.error("The listener container of " + endpoint.id() + " had stopped; starting it again");
                container.start();
            }
        }
    }

    /**
     * Declares the endpoint's exchange, queues, bindings and dead-letter queue again every few
     * seconds, so that the group consumes again, without a restart, after an operator deleted
     * them: a deleted queue is declared again and consumed once the container retries it; a
     * deleted exchange is declared again with the bindings it lost, so that the relay's messages
     * are routed again.
     */
    private synchronized ScheduledFuture<?> checkTopology(ConsumerEndpoint endpoint, Runnable containerCheck) {
        ScheduledExecutorService executor = this.topologyChecks;
        if (executor == null) {
            executor = Executors.newSingleThreadScheduledExecutor((task) -> {
                Thread thread = new Thread(task, "eventbus-rabbit-topology");
                thread.setDaemon(true);
                return thread;
            });
            this.topologyChecks = executor;
        }
        this.subscriptions++;
        AtomicBoolean failing = new AtomicBoolean();
        return executor.scheduleWithFixedDelay(() -> {
            declareAgain(endpoint, failing);
            containerCheck.run();
        }, TOPOLOGY_CHECK.toMillis(), TOPOLOGY_CHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void stopTopologyChecks() {
        if (--this.subscriptions == 0 && this.topologyChecks != null) {
            this.topologyChecks.shutdownNow();
            this.topologyChecks = null;
        }
    }

    private void declareAgain(ConsumerEndpoint endpoint, AtomicBoolean failing) {
        try {
            this.topology.declareGroupAgain(endpoint.topic(), endpoint.group());
            if (failing.getAndSet(false)) {
                logger.info("Declared the exchange and queues of " + endpoint.id() + " again");
            }
        }
        catch (RuntimeException ex) {
            if (!failing.getAndSet(true)) {
                logger.warn("Could not declare the exchange and queues of " + endpoint.id()
                        + " again, trying every " + TOPOLOGY_CHECK.toSeconds() + " s: " + ex.getMessage());
            }
        }
    }

    /**
     * Messages ready in the group's queues of the topic plus those this instance holds
     * unacknowledged; the unacknowledged messages of other instances are not counted.
     */
    @Override
    public OptionalLong lag(ConsumerEndpoint endpoint) {
        RabbitTemplate template = new RabbitTemplate(this.connectionFactory);
        Long ready = template.execute((channel) -> {
            long count = 0;
            for (int partition = 0; partition < this.topology.partitions(); partition++) {
                count += channel.queueDeclarePassive(RabbitTopology.queue(endpoint.topic(), endpoint.group(),
                        partition)).getMessageCount();
            }
            return count;
        });
        AtomicLong inFlight = this.unacknowledged.get(endpoint.id());
        return (ready != null) ? OptionalLong.of(ready + ((inFlight != null) ? inFlight.get() : 0))
                : OptionalLong.empty();
    }

    /**
     * Hands each batch to the core, then acknowledges what it completed and returns the rest.
     */
    private static final class BatchListener implements ChannelAwareBatchMessageListener {

        private final ConsumerEndpoint endpoint;

        private final InboundBatchHandler handler;

        private final AtomicLong inFlight;

        private final AtomicInteger failures = new AtomicInteger();

        BatchListener(ConsumerEndpoint endpoint, InboundBatchHandler handler, AtomicLong inFlight) {
            this.endpoint = endpoint;
            this.handler = handler;
            this.inFlight = inFlight;
        }

        @Override
        public void onMessageBatch(List<Message> messages, Channel channel) {
            List<RabbitInboundMessage> inbound = new ArrayList<>(messages.size());
            for (Message message : messages) {
                inbound.add(new RabbitInboundMessage(message, this.endpoint.topic(), partition(message)));
            }
            this.inFlight.addAndGet(inbound.size());
            BatchOutcome outcome;
            try {
                outcome = this.handler.handle(inbound);
            }
            catch (RuntimeException ex) {
                outcome = new BatchOutcome(0, ex);
            }
            catch (Error error) {
                outcome = new BatchOutcome(0, new IllegalStateException("Handling failed with " + error, error));
            }
            try {
                settle(inbound, outcome, channel);
            }
            catch (IOException ex) {
                logger.warn("Could not settle messages of " + this.endpoint.id() + ", the broker delivers them"
                        + " again: " + ex.getMessage());
            }
            finally {
                this.inFlight.addAndGet(-inbound.size());
            }
        }

        private void settle(List<RabbitInboundMessage> inbound, BatchOutcome outcome, Channel channel)
                throws IOException {
            int completed = outcome.completed();
            if (completed > 0) {
                channel.basicAck(inbound.get(completed - 1).deliveryTag(), true);
            }
            if (outcome.redeliveryCause() == null) {
                this.failures.set(0);
                return;
            }
            int failures = this.failures.incrementAndGet();
            Duration pause = Duration.ofMillis(500).multipliedBy(1L << Math.min(failures - 1, 6));
            pause = (pause.compareTo(MAX_PAUSE) > 0) ? MAX_PAUSE : pause;
            logger.warn("Handling messages of " + this.endpoint.id() + " failed (" + failures
                    + " in a row), delivering them again in " + pause.toMillis() + " ms: "
                    + outcome.redeliveryCause().getMessage());
            try {
                Thread.sleep(pause.toMillis());
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            returnUnacknowledged(channel);
        }

        /**
         * Returns every unacknowledged message of the channel to its queue at its place, those
         * prefetched after the batch included, by closing the channel; the container consumes
         * again on a new one. Returning only the batch's rest would let the prefetched later
         * messages of a partition overtake it.
         */
        private static void returnUnacknowledged(Channel channel) throws IOException {
            Channel target = (channel instanceof ChannelProxy proxy) ? proxy.getTargetChannel() : channel;
            try {
                target.close();
            }
            catch (TimeoutException | AlreadyClosedException ex) {
                target.abort();
            }
        }

        private int partition(Message message) {
            String queue = message.getMessageProperties().getConsumerQueue();
            int dot = (queue != null) ? queue.lastIndexOf('.') : -1;
            try {
                return (dot >= 0) ? Integer.parseInt(queue.substring(dot + 1)) : 0;
            }
            catch (NumberFormatException ex) {
                return 0;
            }
        }

    }

}
