package dev.eventbus.kafka;

import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Creates the listener container factory of a consumer group the way Spring Boot creates its own:
 * through {@link ConcurrentKafkaListenerContainerFactoryConfigurer}, so {@code spring.kafka.listener.*},
 * record and batch interceptors and the thread name supplier apply, with the application's
 * {@link ContainerCustomizer} and a consumer factory built from {@code spring.kafka.consumer.*} and
 * Boot's consumer factory customizers. What eventbus's guarantees rest on is set on each container
 * after every customizer ({@link #applyGuarantees}): offsets committed per batch after the core
 * returned, no Kafka transaction, and an error handler that only ever redelivers.
 */
public class EventListenerContainerFactories
        implements Function<String, ConcurrentKafkaListenerContainerFactory<byte[], byte[]>> {

    private final KafkaProperties kafkaProperties;

    private final ObjectProvider<DefaultKafkaConsumerFactoryCustomizer> consumerFactoryCustomizers;

    private final @Nullable ConcurrentKafkaListenerContainerFactoryConfigurer configurer;

    private final @Nullable ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> containerCustomizer;

    private final @Nullable ApplicationContext applicationContext;

    /**
     * Creates the factories.
     * @param kafkaProperties the application's Kafka settings
     * @param consumerFactoryCustomizers Boot's consumer factory customizers, client metrics among them
     * @param configurer Boot's configurer, or {@code null} without Boot's Kafka listener support
     * @param containerCustomizer the application's container customizer, or {@code null}
     * @param applicationContext the context the containers publish their events to, or {@code null}
     */
    public EventListenerContainerFactories(KafkaProperties kafkaProperties,
            ObjectProvider<DefaultKafkaConsumerFactoryCustomizer> consumerFactoryCustomizers,
            @Nullable ConcurrentKafkaListenerContainerFactoryConfigurer configurer,
            @Nullable ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> containerCustomizer,
            @Nullable ApplicationContext applicationContext) {
        this.kafkaProperties = kafkaProperties;
        this.consumerFactoryCustomizers = consumerFactoryCustomizers;
        this.configurer = configurer;
        this.containerCustomizer = containerCustomizer;
        this.applicationContext = applicationContext;
    }

    @Override
    @SuppressWarnings({ "unchecked", "rawtypes" })
    public ConcurrentKafkaListenerContainerFactory<byte[], byte[]> apply(String group) {
        DefaultKafkaConsumerFactory<byte[], byte[]> consumerFactory = KafkaClients
            .consumerFactory(this.kafkaProperties, this.consumerFactoryCustomizers, group);
        ConcurrentKafkaListenerContainerFactory<byte[], byte[]> factory = new ConcurrentKafkaListenerContainerFactory<>();
        if (this.configurer != null) {
            this.configurer.configure((ConcurrentKafkaListenerContainerFactory) factory, (ConsumerFactory) consumerFactory);
        }
        else {
            factory.setConsumerFactory(consumerFactory);
        }
        if (this.containerCustomizer != null) {
            factory.setContainerCustomizer((ContainerCustomizer) this.containerCustomizer);
        }
        if (this.applicationContext != null) {
            factory.setApplicationContext(this.applicationContext);
            factory.setApplicationEventPublisher(this.applicationContext);
        }
        factory.setBatchListener(true);
        return factory;
    }

    /**
     * Sets on a container what eventbus's guarantees rest on, over whatever a customizer set.
     * @param container the container of an eventbus subscription
     */
    static void applyGuarantees(ConcurrentMessageListenerContainer<?, ?> container) {
        ContainerProperties properties = container.getContainerProperties();
        container.setCommonErrorHandler(redeliveringErrorHandler());
        properties.setAckMode(ContainerProperties.AckMode.BATCH);
        properties.setAsyncAcks(false);
        properties.setKafkaAwareTransactionManager(null);
        properties.setTransactionManager(null);
    }

    /**
     * The error handler of a container: commits the offsets of the records the core completed and
     * seeks back to the first one it asked to be delivered again, after a pause that grows from
     * half a second to half a minute. It never gives a record up; dead letters are the core's decision.
     */
    static DefaultErrorHandler redeliveringErrorHandler() {
        ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
        backOff.setMaxInterval(30_000);
        DefaultErrorHandler errorHandler = new DefaultErrorHandler((record, exception) -> {
            throw new IllegalStateException("eventbus delivers " + record.topic() + "-" + record.partition() + "@"
                    + record.offset() + " again rather than give it up", exception);
        }, backOff);
        errorHandler.setClassifications(Map.of(), true);
        return errorHandler;
    }

}
