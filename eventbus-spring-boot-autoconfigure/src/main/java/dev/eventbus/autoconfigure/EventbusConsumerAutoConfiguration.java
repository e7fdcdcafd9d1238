package dev.eventbus.autoconfigure;

import java.time.Clock;

import javax.sql.DataSource;

import dev.eventbus.consumer.CloudEventDecoder;
import dev.eventbus.consumer.ConsumerObserver;
import dev.eventbus.consumer.EventConsumers;
import dev.eventbus.consumer.EventHandlerMethodDetector;
import dev.eventbus.consumer.ProcessedEventRepository;
import dev.eventbus.consumer.ProcessedEventRetention;
import dev.eventbus.metrics.ConsumerLagMeters;
import dev.eventbus.schema.Database;
import dev.eventbus.schema.EventbusSchemaInitializer;
import dev.eventbus.schema.EventbusTables;
import dev.eventbus.transport.ConsumerTransport;
import dev.eventbus.transport.DeadLetterSink;
import dev.eventbus.wire.EventTypeRegistry;
import dev.eventbus.wire.TopicRouter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Auto-configuration of the consumers of {@code @EventHandler} methods: subscriptions through the
 * {@link ConsumerTransport} a transport's auto-configuration provides, deduplication, retries and
 * dead-letter decisions.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { EventbusAutoConfiguration.class, EventbusMetricsAutoConfiguration.class })
@ConditionalOnBean({ EventTypeRegistry.class, ConsumerTransport.class, DeadLetterSink.class })
@ConditionalOnBooleanProperty(name = "eventbus.consumer.enabled", matchIfMissing = true)
public final class EventbusConsumerAutoConfiguration {

    @Bean
    static EventHandlerMethodDetector eventbusEventHandlerMethodDetector() {
        return new EventHandlerMethodDetector();
    }

    @Bean
    @ConditionalOnMissingBean
    CloudEventDecoder eventbusCloudEventDecoder(ObjectProvider<JsonMapper> jsonMapper) {
        return new CloudEventDecoder(jsonMapper.getIfAvailable(JsonMapper::new));
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
    EventConsumers eventbusEventConsumers(EventHandlerMethodDetector detector, ConsumerTransport transport,
            DeadLetterSink deadLetters, EventTypeRegistry registry, TopicRouter topicRouter,
            EventbusProperties properties, Environment environment, CloudEventDecoder decoder,
            ProcessedEventRepository processedEvents, ObjectProvider<PlatformTransactionManager> transactionManager,
            DataSource dataSource, ObjectProvider<ConsumerObserver> observers,
            ObjectProvider<ObservationRegistry> observationRegistry, BeanFactory beanFactory) {
        EventbusProperties.Consumer consumer = properties.getConsumer();
        String defaultGroup = (consumer.getGroup() != null) ? consumer.getGroup()
                : environment.getProperty("spring.application.name");
        return new EventConsumers(detector, transport, new EventConsumers.Settings(registry, topicRouter, defaultGroup,
                consumer::settingsOf, decoder, processedEvents,
                handlerTransactionManager(transactionManager, dataSource), deadLetters,
                ConsumerObserver.of(observers.orderedStream().toList()),
                EventbusObservations.registry(observationRegistry, beanFactory)));
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

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    static class ConsumerLagConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ConsumerLagMeters eventbusConsumerLagMeters(EventConsumers consumers, ConsumerTransport transport) {
            return new ConsumerLagMeters(consumers, transport, Clock.systemUTC());
        }

    }

}
