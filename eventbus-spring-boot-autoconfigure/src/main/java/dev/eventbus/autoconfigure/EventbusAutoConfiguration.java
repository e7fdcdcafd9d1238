package dev.eventbus.autoconfigure;

import java.time.Clock;
import java.time.Duration;

import javax.sql.DataSource;

import dev.eventbus.EventPublisher;
import dev.eventbus.outbox.ApplicationEventOutboxBridge;
import dev.eventbus.wire.EventTypeRegistry;
import dev.eventbus.outbox.JdbcOutboxRepository;
import dev.eventbus.outbox.OutboxCommitListener;
import dev.eventbus.outbox.OutboxEventFactory;
import dev.eventbus.outbox.OutboxEventPublisher;
import dev.eventbus.outbox.OutboxStatistics;
import dev.eventbus.outbox.ParkedOutboxEvents;
import dev.eventbus.wire.TopicRouter;
import dev.eventbus.outbox.TransactionalOutbox;
import dev.eventbus.relay.PostgresOutboxNotifier;
import dev.eventbus.schema.Database;
import dev.eventbus.schema.EventbusSchemaInitializer;
import dev.eventbus.schema.EventbusSchemaMigrator;
import dev.eventbus.schema.EventbusTables;
import dev.eventbus.transport.OutboxTransport;
import io.micrometer.observation.ObservationRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Auto-configuration of the write side of eventbus: schema, event types and the transactional
 * {@link EventPublisher}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
        JacksonAutoConfiguration.class },
        afterName = "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration")
@ConditionalOnClass({ JdbcTemplate.class, JsonMapper.class })
@ConditionalOnBean(DataSource.class)
@ConditionalOnBooleanProperty(name = "eventbus.enabled", matchIfMissing = true)
@EnableConfigurationProperties(EventbusProperties.class)
public final class EventbusAutoConfiguration {

    @Bean
    static EventbusTransportCheck eventbusTransportCheck(Environment environment, BeanFactory beanFactory,
            ObjectProvider<OutboxTransport> transports) {
        ClassLoader classLoader = (beanFactory instanceof ConfigurableBeanFactory configurable)
                ? configurable.getBeanClassLoader() : null;
        return new EventbusTransportCheck(environment, classLoader, transports,
                environment.getProperty("eventbus.outbox.relay.enabled", Boolean.class, true));
    }

    @Bean
    @ConditionalOnMissingBean
    EventbusTables eventbusTables(EventbusProperties properties) {
        return new EventbusTables(properties.getSchema().getTablePrefix());
    }

    @Bean
    @ConditionalOnMissingBean
    Database eventbusDatabase(DataSource dataSource) {
        return Database.of(dataSource);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "eventbus.schema.create", matchIfMissing = true)
    @DependsOnDatabaseInitialization
    EventbusSchemaInitializer eventbusSchemaInitializer(DataSource dataSource, Database database,
            EventbusTables tables) {
        return new EventbusSchemaInitializer(new EventbusSchemaMigrator(dataSource, database, tables));
    }

    @Bean
    @ConditionalOnMissingBean
    EventTypeRegistry eventbusEventTypeRegistry() {
        return new EventTypeRegistry();
    }

    @Bean
    @ConditionalOnMissingBean
    TopicRouter eventbusTopicRouter(EventbusProperties properties) {
        return new TopicRouter(properties.getTopics());
    }

    @Bean
    @ConditionalOnMissingBean
    JdbcOutboxRepository eventbusOutboxRepository(DataSource dataSource, Database database, EventbusTables tables,
            ObjectProvider<EventbusSchemaInitializer> schemaInitializer) {
        schemaInitializer.ifAvailable(EventbusSchemaInitializer::ensureMigrated);
        return new JdbcOutboxRepository(new JdbcTemplate(dataSource), database, tables);
    }

    @Bean
    @ConditionalOnMissingBean
    OutboxEventFactory eventbusOutboxEventFactory(EventTypeRegistry registry, TopicRouter topicRouter,
            ObjectProvider<JsonMapper> jsonMapper, EventbusProperties properties, Environment environment,
            ObjectProvider<ObservationRegistry> observationRegistry, BeanFactory beanFactory) {
        String source = (properties.getSource() != null) ? properties.getSource()
                : environment.getProperty("spring.application.name", "application");
        return new OutboxEventFactory(registry, topicRouter, jsonMapper.getIfAvailable(JsonMapper::new), source,
                properties.getOutbox().getMaxPayloadSize().toBytes(), Clock.systemUTC(),
                EventbusObservations.registry(observationRegistry, beanFactory));
    }

    @Bean
    @ConditionalOnMissingBean
    ParkedOutboxEvents eventbusParkedOutboxEvents(DataSource dataSource, Database database, EventbusTables tables,
            ObjectProvider<EventbusSchemaInitializer> schemaInitializer) {
        schemaInitializer.ifAvailable(EventbusSchemaInitializer::ensureMigrated);
        return new ParkedOutboxEvents(new JdbcTemplate(dataSource),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)), database, tables);
    }

    @Bean
    @ConditionalOnMissingBean
    OutboxStatistics eventbusOutboxStatistics(JdbcOutboxRepository repository, ParkedOutboxEvents parkedEvents) {
        return new OutboxStatistics(repository, parkedEvents, Duration.ofSeconds(2), Clock.systemUTC());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "eventbus.outbox.notify", matchIfMissing = true)
    PostgresOutboxNotifier eventbusPostgresOutboxNotifier(DataSource dataSource, Database database,
            EventbusTables tables) {
        return new PostgresOutboxNotifier(dataSource, tables.outbox(), database == Database.POSTGRESQL);
    }

    @Bean
    @ConditionalOnMissingBean
    TransactionalOutbox eventbusTransactionalOutbox(JdbcOutboxRepository repository, DataSource dataSource,
            EventbusProperties properties, ObjectProvider<OutboxCommitListener> commitListeners) {
        return new TransactionalOutbox(repository, dataSource,
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
                properties.getOutbox().isRequireTransaction(), commitListeners.orderedStream().toList());
    }

    @Bean
    @ConditionalOnMissingBean(EventPublisher.class)
    OutboxEventPublisher eventbusEventPublisher(OutboxEventFactory eventFactory, TransactionalOutbox outbox) {
        return new OutboxEventPublisher(eventFactory, outbox);
    }

    @Bean
    @ConditionalOnMissingBean
    ApplicationEventOutboxBridge eventbusApplicationEventOutboxBridge(EventTypeRegistry registry,
            EventPublisher publisher) {
        return new ApplicationEventOutboxBridge(registry, publisher);
    }

}
