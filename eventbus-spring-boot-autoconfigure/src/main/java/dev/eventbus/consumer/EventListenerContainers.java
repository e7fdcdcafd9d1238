package dev.eventbus.consumer;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import dev.eventbus.outbox.EventTypeRegistry;
import dev.eventbus.outbox.TopicRouter;
import io.github.resilience4j.retry.Retry;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Creates one listener container per consumer group and topic of the {@code @EventHandler}
 * methods once the context is refreshed, starts them, and stops them first on shutdown, letting
 * in-flight records finish.
 */
public class EventListenerContainers implements SmartLifecycle {

    private static final Log logger = LogFactory.getLog(EventListenerContainers.class);

    private final EventHandlerMethodDetector detector;

    private final Settings settings;

    private final List<ConcurrentMessageListenerContainer<byte[], byte[]>> containers = new ArrayList<>();

    private volatile boolean running;

    /**
     * Creates the registry.
     * @param detector knows the handler methods
     * @param settings what the containers are built from
     */
    public EventListenerContainers(EventHandlerMethodDetector detector, Settings settings) {
        this.detector = detector;
        this.settings = settings;
    }

    /**
     * The endpoints served, one per container.
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
        createDeadLetterTopics(endpoints);
        Map<String, DefaultKafkaConsumerFactory<byte[], byte[]>> consumerFactories = new HashMap<>();
        for (EventHandlerEndpoint endpoint : endpoints) {
            DefaultKafkaConsumerFactory<byte[], byte[]> consumerFactory = consumerFactories
                .computeIfAbsent(endpoint.group(), this::consumerFactory);
            ConcurrentMessageListenerContainer<byte[], byte[]> container = container(endpoint, consumerFactory);
            this.containers.add(container);
            container.start();
        }
        this.running = true;
    }

    @Override
    public synchronized void stop() {
        this.containers.forEach(ConcurrentMessageListenerContainer::stop);
        this.containers.clear();
        this.running = false;
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    private ConcurrentMessageListenerContainer<byte[], byte[]> container(EventHandlerEndpoint endpoint,
            DefaultKafkaConsumerFactory<byte[], byte[]> consumerFactory) {
        ContainerProperties properties = new ContainerProperties(endpoint.topic());
        properties.setGroupId(endpoint.group());
        properties.setAckMode(ContainerProperties.AckMode.BATCH);
        Retry retry = this.settings.retryFactory().apply(endpoint.group() + "/" + endpoint.topic());
        properties.setMessageListener(new EventBatchListener(endpoint, this.settings.decoder(),
                this.settings.processedEvents(), this.settings.transaction(), retry, this.settings.observer(),
                Clock.systemUTC(), this.settings.observationRegistry()));
        ConcurrentMessageListenerContainer<byte[], byte[]> container = new ConcurrentMessageListenerContainer<>(
                consumerFactory, properties);
        container.setConcurrency(this.settings.concurrency());
        container.setBeanName("eventbus-" + endpoint.group() + "-" + endpoint.topic());
        container.setCommonErrorHandler(this.settings.errorHandlers().create(endpoint.group()));
        this.settings.customizers().forEach((customizer) -> customizer.customize(container, endpoint));
        return container;
    }

    private DefaultKafkaConsumerFactory<byte[], byte[]> consumerFactory(String group) {
        Map<String, Object> properties = new HashMap<>(this.settings.consumerProperties());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new DefaultKafkaConsumerFactory<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private void createDeadLetterTopics(List<EventHandlerEndpoint> endpoints) {
        KafkaAdmin admin = this.settings.kafkaAdmin();
        if (admin == null || endpoints.isEmpty()) {
            return;
        }
        NewTopic[] topics = endpoints.stream()
            .map((endpoint) -> this.settings.errorHandlers().deadLetterTopic(endpoint.topic()))
            .distinct()
            .map((name) -> new NewTopic(name, Optional.empty(), Optional.empty()))
            .toArray(NewTopic[]::new);
        try {
            admin.createOrModifyTopics(topics);
        }
        catch (RuntimeException ex) {
            logger.warn("Cannot create dead-letter topics; they must exist or be auto-created: " + ex.getMessage());
        }
    }

    /**
     * What the containers are built from.
     *
     * @param registry describes event types
     * @param topicRouter routes event types to topics
     * @param defaultGroup the group of handlers that name none, or {@code null}
     * @param consumerProperties the application's Kafka consumer properties
     * @param concurrency listener threads per container
     * @param decoder decodes records
     * @param processedEvents the processed-event table
     * @param transaction the application's transactions, which the handlers' writes join
     * @param retryFactory creates the retry of a container, by name
     * @param errorHandlers creates the dead-letter error handlers
     * @param observer told about outcomes
     * @param kafkaAdmin creates dead-letter topics, or {@code null} to leave that to the broker
     * @param customizers customize each container
     * @param observationRegistry observes each record
     */
    public record Settings(EventTypeRegistry registry, TopicRouter topicRouter, @Nullable String defaultGroup,
            Map<String, Object> consumerProperties, int concurrency, CloudEventRecordDecoder decoder,
            ProcessedEventRepository processedEvents, TransactionOperations transaction,
            Function<String, Retry> retryFactory, DeadLetterErrorHandlers errorHandlers, ConsumerObserver observer,
            @Nullable KafkaAdmin kafkaAdmin, List<EventListenerContainerCustomizer> customizers,
            ObservationRegistry observationRegistry) {

    }

}
