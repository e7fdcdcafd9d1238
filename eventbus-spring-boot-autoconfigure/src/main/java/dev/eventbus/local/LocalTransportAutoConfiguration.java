package dev.eventbus.local;

import java.time.Clock;

import javax.sql.DataSource;

import dev.eventbus.autoconfigure.ConditionalOnEventbusTransport;
import dev.eventbus.autoconfigure.EventbusAutoConfiguration;
import dev.eventbus.autoconfigure.EventbusConsumerAutoConfiguration;
import dev.eventbus.autoconfigure.EventbusEndpointAutoConfiguration;
import dev.eventbus.autoconfigure.EventbusProperties;
import dev.eventbus.autoconfigure.EventbusRelayAutoConfiguration;
import dev.eventbus.outbox.JdbcOutboxRepository;
import dev.eventbus.schema.Database;
import dev.eventbus.schema.EventbusSchemaInitializer;
import dev.eventbus.schema.EventbusTables;
import dev.eventbus.transport.ConsumerTransport;
import dev.eventbus.transport.DeadLetterSink;
import dev.eventbus.transport.OutboxTransport;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Auto-configuration of the {@code local} transport ({@code eventbus.transport=local}): no broker;
 * the relay appends to a log table in the outbox's database, and this application's
 * {@code @EventHandler}s read it, with dead letters kept in a table.
 *
 * @since 0.2.0
 */
@AutoConfiguration(after = EventbusAutoConfiguration.class, before = { EventbusRelayAutoConfiguration.class,
        EventbusConsumerAutoConfiguration.class, EventbusEndpointAutoConfiguration.class })
@ConditionalOnBean(JdbcOutboxRepository.class)
@ConditionalOnEventbusTransport("local")
public final class LocalTransportAutoConfiguration {

    /** The most messages of a partition handed to the handlers at once. */
    static final int BATCH_SIZE = 100;

    @Bean
    @ConditionalOnMissingBean
    LocalLog eventbusLocalLog(DataSource dataSource, Database database, EventbusTables tables,
            ObjectProvider<EventbusSchemaInitializer> schemaInitializer) {
        schemaInitializer.ifAvailable(EventbusSchemaInitializer::ensureMigrated);
        return new LocalLog(new JdbcTemplate(dataSource), new TransactionTemplate(
                new DataSourceTransactionManager(dataSource)), database, tables);
    }

    @Bean
    @ConditionalOnMissingBean
    LocalSignals eventbusLocalSignals() {
        return new LocalSignals();
    }

    @Bean
    @ConditionalOnMissingBean
    LocalLogRetention eventbusLocalLogRetention(LocalLog log, EventbusProperties properties) {
        return new LocalLogRetention(log, properties.getOutbox().getRetention(), Clock.systemUTC());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "eventbus.outbox.relay.enabled", matchIfMissing = true)
    static class RelayConfiguration {

        @Bean
        @ConditionalOnMissingBean(OutboxTransport.class)
        LocalOutboxTransport eventbusLocalOutboxTransport(LocalLog log, LocalSignals signals) {
            return new LocalOutboxTransport(log, signals);
        }

    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "eventbus.consumer.enabled", matchIfMissing = true)
    static class ConsumerConfiguration {

        @Bean
        @ConditionalOnMissingBean
        LocalCursors eventbusLocalCursors(DataSource dataSource, Database database, EventbusTables tables) {
            return new LocalCursors(new JdbcTemplate(dataSource), database, tables);
        }

        @Bean
        @ConditionalOnMissingBean(ConsumerTransport.class)
        LocalConsumerTransport eventbusLocalConsumerTransport(LocalLog log, LocalCursors cursors,
                LocalSignals signals, EventbusProperties properties) {
            return new LocalConsumerTransport(log, cursors, signals, BATCH_SIZE,
                    properties.getOutbox().getRelay().getPollInterval(), properties.getConsumer().getShutdownTimeout(),
                    Clock.systemUTC());
        }

        @Bean
        @ConditionalOnMissingBean(DeadLetterSink.class)
        LocalDeadLetters eventbusLocalDeadLetters(DataSource dataSource, Database database, EventbusTables tables,
                LocalLog log) {
            TransactionTemplate newTransaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
            newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
            return new LocalDeadLetters(new JdbcTemplate(dataSource), newTransaction, database, tables, log,
                    Clock.systemUTC());
        }

    }

}
