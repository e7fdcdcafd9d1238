package dev.eventbus.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.eventbus.transport.ConsumerEndpoint;
import dev.eventbus.transport.ConsumerTransport;
import dev.eventbus.transport.InboundBatchHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.NewTopic;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * The consumer side of the Kafka transport: one spring-kafka listener container per subscription,
 * created by a container factory of the consumer group (configured by Spring Boot from
 * {@code spring.kafka.listener.*}, see {@link EventListenerContainerFactories}) and registered in
 * the {@link KafkaListenerEndpointRegistry} under the endpoint's id, so it can be looked up,
 * paused and resumed like any {@code @KafkaListener}'s. Creates the dead-letter topics of all
 * subscriptions in one call when an admin is available.
 */
public class KafkaListenerContainers implements ConsumerTransport, AutoCloseable {

    private static final Log logger = LogFactory.getLog(KafkaListenerContainers.class);

    private final KafkaListenerEndpointRegistry registry;

    private final Function<String, ConcurrentKafkaListenerContainerFactory<byte[], byte[]>> factories;

    private final Map<String, ConcurrentKafkaListenerContainerFactory<byte[], byte[]>> factoriesByGroup = new ConcurrentHashMap<>();

    private final String deadLetterSuffix;

    private final @Nullable KafkaAdmin kafkaAdmin;

    private final List<EventListenerContainerCustomizer> customizers;

    private final KafkaLag lag;

    private final Duration shutdownTimeout;

    /**
     * Creates the transport.
     * @param registry holds the containers by id
     * @param factories creates the container factory of a consumer group
     * @param deadLetterSuffix appended to a topic to name its dead-letter topic
     * @param kafkaAdmin creates dead-letter topics, or {@code null} to leave that to the broker
     * @param customizers customize each container before it starts
     * @param lag reads the consumer groups' lag
     * @param shutdownTimeout how long a stop waits for the batch in progress before it abandons it
     */
    public KafkaListenerContainers(KafkaListenerEndpointRegistry registry,
            Function<String, ConcurrentKafkaListenerContainerFactory<byte[], byte[]>> factories,
            String deadLetterSuffix, @Nullable KafkaAdmin kafkaAdmin,
            List<EventListenerContainerCustomizer> customizers, KafkaLag lag, Duration shutdownTimeout) {
        this.registry = registry;
        this.factories = factories;
        this.deadLetterSuffix = deadLetterSuffix;
        this.kafkaAdmin = kafkaAdmin;
        this.customizers = List.copyOf(customizers);
        this.lag = lag;
        this.shutdownTimeout = shutdownTimeout;
    }

    @Override
    public void prepare(List<ConsumerEndpoint> endpoints) {
        if (this.kafkaAdmin == null || endpoints.isEmpty()) {
            return;
        }
        NewTopic[] topics = endpoints.stream()
            .map((endpoint) -> endpoint.topic() + this.deadLetterSuffix)
            .distinct()
            .map((name) -> new NewTopic(name, Optional.empty(), Optional.empty()))
            .toArray(NewTopic[]::new);
        try {
            this.kafkaAdmin.createOrModifyTopics(topics);
        }
        catch (RuntimeException ex) {
            logger.warn("Cannot create dead-letter topics; they must exist or be auto-created: " + ex.getMessage());
        }
    }

    /**
     * Creates, customizes and starts the container of an endpoint. What eventbus's guarantees rest
     * on is set again after the customizers, so a customizer meant for the application's own
     * listeners cannot take it away.
     */
    @Override
    public Subscription subscribe(ConsumerEndpoint endpoint, InboundBatchHandler handler) {
        ConcurrentKafkaListenerContainerFactory<byte[], byte[]> factory = this.factoriesByGroup
            .computeIfAbsent(endpoint.group(), this.factories);
        this.registry.registerListenerContainer(new EventHandlerListenerEndpoint(endpoint, handler), factory, false);
        ConcurrentMessageListenerContainer<?, ?> container = container(endpoint.id());
        try {
            container.getContainerProperties().setShutdownTimeout(this.shutdownTimeout.toMillis());
            this.customizers.forEach((customizer) -> customizer.customize(container, endpoint));
            EventListenerContainerFactories.applyGuarantees(container);
            container.start();
        }
        catch (RuntimeException ex) {
            stop(endpoint, container);
            throw ex;
        }
        return new Subscription() {

            @Override
            public void stop() {
                KafkaListenerContainers.this.stop(endpoint, container);
            }

            @Override
            public boolean isActive() {
                return container.isRunning()
                        && container.getContainers().stream().allMatch(MessageListenerContainer::isRunning);
            }

        };
    }

    private void stop(ConsumerEndpoint endpoint, ConcurrentMessageListenerContainer<?, ?> container) {
        try {
            container.stop();
        }
        finally {
            this.registry.unregisterListenerContainer(endpoint.id());
        }
    }

    @Override
    public OptionalLong lag(ConsumerEndpoint endpoint) {
        return this.lag.of(endpoint.group(), endpoint.topic());
    }

    /**
     * Closes the admin client that reads the lag.
     */
    @Override
    public void close() {
        this.lag.close();
    }

    /**
     * The listener container of a subscription.
     * @param id the id of its endpoint, such as {@code eventbus-inventory-orders}
     * @return the container
     * @throws IllegalArgumentException if no container has that id
     */
    public ConcurrentMessageListenerContainer<?, ?> container(String id) {
        if (this.registry.getListenerContainer(id) instanceof ConcurrentMessageListenerContainer<?, ?> container) {
            return container;
        }
        throw new IllegalArgumentException("No eventbus listener container has the id " + id);
    }

}
