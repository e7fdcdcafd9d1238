package dev.eventbus.consumer;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Function;

import dev.eventbus.transport.ConsumerEndpoint;
import dev.eventbus.transport.ConsumerTransport;
import dev.eventbus.transport.DeadLetterSink;
import dev.eventbus.wire.EventTypeRegistry;
import dev.eventbus.wire.TopicRouter;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Subscribes the {@code @EventHandler} methods to their topics once the context is refreshed: one
 * subscription of the transport per consumer group and topic, each with an
 * {@link EventBatchHandler}; stops them first on shutdown, letting the batches in progress finish.
 */
public class EventConsumers implements SmartLifecycle {

    private final EventHandlerMethodDetector detector;

    private final ConsumerTransport transport;

    private final Settings settings;

    private volatile Map<String, ConsumerTransport.Subscription> subscriptions = Map.of();

    private volatile boolean running;

    private @Nullable ScheduledExecutorService watchdog;

    /**
     * Creates the consumers.
     * @param detector knows the handler methods
     * @param transport delivers the messages
     * @param settings what the handlers are built from
     */
    public EventConsumers(EventHandlerMethodDetector detector, ConsumerTransport transport, Settings settings) {
        this.detector = detector;
        this.transport = transport;
        this.settings = settings;
    }

    /**
     * The endpoints served, one subscription each.
     * @return the endpoints
     */
    public List<EventHandlerEndpoint> endpoints() {
        return EventHandlerEndpoint.of(this.detector.handlerMethods(), this.settings.registry(),
                this.settings.topicRouter(), this.settings.defaultGroup());
    }

    @Override
    public synchronized void start() {
        if (this.running) {
            return;
        }
        List<EventHandlerEndpoint> endpoints = endpoints();
        List<ConsumerEndpoint> consumerEndpoints = endpoints.stream()
            .map((endpoint) -> new ConsumerEndpoint(endpoint.group(), endpoint.topic(),
                    this.settings.groupSettings().apply(endpoint.group()).concurrency()))
            .toList();
        this.transport.prepare(consumerEndpoints);
        ScheduledThreadPoolExecutor watchdog = new ScheduledThreadPoolExecutor(1, (task) -> {
            Thread thread = new Thread(task, "eventbus-handler-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        watchdog.setRemoveOnCancelPolicy(true);
        this.watchdog = watchdog;
        Map<String, ConsumerTransport.Subscription> started = new LinkedHashMap<>();
        try {
            for (int i = 0; i < endpoints.size(); i++) {
                started.put(consumerEndpoints.get(i).id(),
                        this.transport.subscribe(consumerEndpoints.get(i), handler(endpoints.get(i), watchdog)));
            }
        }
        catch (RuntimeException ex) {
            stopSubscriptions(started);
            throw ex;
        }
        this.subscriptions = started;
        this.running = true;
    }

    private EventBatchHandler handler(EventHandlerEndpoint endpoint, ScheduledExecutorService watchdog) {
        GroupSettings group = this.settings.groupSettings().apply(endpoint.group());
        TransactionTemplate transaction = new TransactionTemplate(this.settings.transactionManager());
        transaction.setTimeout((int) Math.max(1, (group.handlerTimeout().toMillis() + 999) / 1000));
        return new EventBatchHandler(endpoint, this.settings.decoder(), this.settings.processedEvents(), transaction,
                new HandlerTimeout(watchdog, group.handlerTimeout()),
                HandlerRetry.create(endpoint.group() + "/" + endpoint.topic(), group), this.settings.deadLetters(),
                this.settings.observer(), Clock.systemUTC(), this.settings.observationRegistry(),
                this.settings.registry()::isRegisteredName);
    }

    @Override
    public synchronized void stop() {
        Map<String, ConsumerTransport.Subscription> stopping = this.subscriptions;
        this.subscriptions = Map.of();
        try {
            stopSubscriptions(stopping);
        }
        finally {
            this.running = false;
        }
    }

    private void stopWatchdog() {
        if (this.watchdog != null) {
            this.watchdog.shutdownNow();
            this.watchdog = null;
        }
    }

    /**
     * Stops every subscription, all at once so that the transports' shutdown timeouts bound the
     * stop as a whole, also when one of them fails to stop.
     */
    private void stopSubscriptions(Map<String, ConsumerTransport.Subscription> subscriptions) {
        List<RuntimeException> failures = new CopyOnWriteArrayList<>();
        List<Thread> stopping = new ArrayList<>();
        subscriptions.forEach((id, subscription) -> stopping.add(new Thread(() -> {
            try {
                subscription.stop();
            }
            catch (RuntimeException ex) {
                failures.add(ex);
            }
        }, "eventbus-stopping-" + id)));
        try {
            stopping.forEach(Thread::start);
            for (Thread thread : stopping) {
                thread.join();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        finally {
            stopWatchdog();
        }
        if (!failures.isEmpty()) {
            RuntimeException failure = failures.get(0);
            failures.subList(1, failures.size()).forEach(failure::addSuppressed);
            throw failure;
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    /**
     * The endpoints whose subscription stopped delivering on its own while the consumers run.
     * @return their ids, such as {@code eventbus-inventory-orders}; empty when all deliver
     */
    public List<String> stoppedUnexpectedly() {
        List<String> stopped = new ArrayList<>();
        this.subscriptions.forEach((id, subscription) -> {
            if (!subscription.isActive()) {
                stopped.add(id);
            }
        });
        return stopped;
    }

    /**
     * What the handlers are built from.
     *
     * @param registry describes event types
     * @param topicRouter routes event types to topics
     * @param defaultGroup the group of handlers that name none, or {@code null}
     * @param groupSettings the settings of each consumer group
     * @param decoder decodes messages
     * @param processedEvents the processed-event table
     * @param transactionManager the application's transaction manager, which the handlers' writes join
     * @param deadLetters keeps the messages given up
     * @param observer told about outcomes
     * @param observationRegistry observes each message
     */
    public record Settings(EventTypeRegistry registry, TopicRouter topicRouter, @Nullable String defaultGroup,
            Function<String, GroupSettings> groupSettings, CloudEventDecoder decoder,
            ProcessedEventRepository processedEvents, PlatformTransactionManager transactionManager,
            DeadLetterSink deadLetters, ConsumerObserver observer, ObservationRegistry observationRegistry) {

    }

}
