package dev.eventbus.autoconfigure;

import java.time.Clock;

import javax.sql.DataSource;

import dev.eventbus.consumer.CloudEventRecordDecoder;
import dev.eventbus.consumer.ConsumerObserver;
import dev.eventbus.consumer.DeadLetterErrorHandlers;
import dev.eventbus.consumer.EventHandlerMethodDetector;
import dev.eventbus.consumer.EventListenerContainerCustomizer;
import dev.eventbus.consumer.EventListenerContainers;
import dev.eventbus.consumer.HandlerRetry;
import dev.eventbus.consumer.ProcessedEventRepository;
import dev.eventbus.consumer.ProcessedEventRetention;
import dev.eventbus.outbox.EventTypeRegistry;
import dev.eventbus.outbox.TopicRouter;
import dev.eventbus.schema.Database;
import dev.eventbus.schema.EventbusSchemaInitializer;
import dev.eventbus.schema.EventbusTables;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import io.micrometer.observation.ObservationRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Auto-configuration of the consumers of {@code @EventHandler} methods: listener containers,
 * deduplication, retries and dead-letter publishing.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { EventbusAutoConfiguration.class, KafkaAutoConfiguration.class,
        EventbusMetricsAutoConfiguration.class })
@ConditionalOnClass(KafkaTemplate.class)
@ConditionalOnBean(EventTypeRegistry.class)
@ConditionalOnBooleanProperty(name = "eventbus.consumer.enabled", matchIfMissing = true)
public final class EventbusConsumerAutoConfiguration {

    @Bean
    static EventHandlerMethodDetector eventbusEventHandlerMethodDetector() {
        return new EventHandlerMethodDetector();
    }

    @Bean
    @ConditionalOnMissingBean
    CloudEventRecordDecoder eventbusCloudEventRecordDecoder(ObjectProvider<JsonMapper> jsonMapper) {
        return new CloudEventRecordDecoder(jsonMapper.getIfAvailable(JsonMapper::new));
    }

    @Bean
    @ConditionalOnMissingBean
    ProcessedEventRepository eventbusProcessedEventRepository(DataSource dataSource, Database database,
            EventbusTables tables, ObjectProvider<EventbusSchemaInitializer> schemaInitializer) {
        schemaInitializer.ifAvailable(EventbusSchemaInitializer::ensureMigrated);
        return new ProcessedEventRepository(new JdbcTemplate(dataSource), database, tables);
    }

    @Bean
    @ConditionalOnMissingBean
    DeadLetterErrorHandlers eventbusDeadLetterErrorHandlers(KafkaProperties kafkaProperties,
            EventbusProperties properties, ObjectProvider<ConsumerObserver> observers,
            ObjectProvider<DefaultKafkaProducerFactoryCustomizer> customizers) {
        KafkaTemplate<byte[], byte[]> template = EventbusProducers.template(kafkaProperties, customizers,
                "eventbus-dead-letter", new ByteArraySerializer(), new ByteArraySerializer());
        return new DeadLetterErrorHandlers(template, properties.getConsumer().getDeadLetter().getSuffix(),
                ConsumerObserver.of(observers.orderedStream().toList()));
    }

    @Bean
    @ConditionalOnMissingBean
    EventListenerContainers eventbusEventListenerContainers(EventHandlerMethodDetector detector,
            EventTypeRegistry registry, TopicRouter topicRouter, KafkaProperties kafkaProperties,
            EventbusProperties properties, Environment environment, CloudEventRecordDecoder decoder,
            ProcessedEventRepository processedEvents, ObjectProvider<PlatformTransactionManager> transactionManager,
            DataSource dataSource, DeadLetterErrorHandlers errorHandlers, ObjectProvider<ConsumerObserver> observers,
            ObjectProvider<KafkaAdmin> kafkaAdmin, ObjectProvider<EventListenerContainerCustomizer> customizers,
            ObjectProvider<ObservationRegistry> observationRegistry, BeanFactory beanFactory) {
        EventbusProperties.Consumer consumer = properties.getConsumer();
        EventbusProperties.Retry retry = consumer.getRetry();
        String defaultGroup = (consumer.getGroup() != null) ? consumer.getGroup()
                : environment.getProperty("spring.application.name");
        TransactionTemplate transaction = new TransactionTemplate(handlerTransactionManager(transactionManager,
                dataSource));
        return new EventListenerContainers(detector, new EventListenerContainers.Settings(registry, topicRouter,
                defaultGroup, kafkaProperties.buildConsumerProperties(), consumer.getConcurrency(), decoder,
                processedEvents, transaction,
                (name) -> HandlerRetry.create(name, retry.getMaxAttempts(), retry.getInitialBackoff(),
                        retry.getMultiplier(), retry.getMaxBackoff(), retry.getNonRetryable()),
                errorHandlers, ConsumerObserver.of(observers.orderedStream().toList()), kafkaAdmin.getIfUnique(),
                customizers.orderedStream().toList(), EventbusObservations.registry(observationRegistry, beanFactory)));
    }

    private static PlatformTransactionManager handlerTransactionManager(
            ObjectProvider<PlatformTransactionManager> transactionManagers, DataSource dataSource) {
        PlatformTransactionManager unique = transactionManagers.getIfUnique();
        if (unique != null) {
            return unique;
        }
        if (transactionManagers.stream().findAny().isPresent()) {
            throw new IllegalStateException("eventbus handlers need the transaction manager your handlers' writes use,"
                    + " but there are several and none is @Primary: mark that one @Primary");
        }
        return new DataSourceTransactionManager(dataSource);
    }

    @Bean
    @ConditionalOnMissingBean
    ProcessedEventRetention eventbusProcessedEventRetention(ProcessedEventRepository repository,
            EventbusProperties properties) {
        return new ProcessedEventRetention(repository, properties.getConsumer().getProcessed().getRetention(),
                Clock.systemUTC());
    }

}
