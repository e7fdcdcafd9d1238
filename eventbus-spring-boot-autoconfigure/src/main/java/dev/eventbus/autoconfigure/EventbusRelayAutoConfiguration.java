package dev.eventbus.autoconfigure;

import java.time.Clock;

import javax.sql.DataSource;

import dev.eventbus.outbox.JdbcOutboxRepository;
import dev.eventbus.outbox.OutboxLanes;
import dev.eventbus.outbox.ParkedOutboxEvents;
import dev.eventbus.relay.OutboxRelay;
import dev.eventbus.relay.OutboxRetention;
import dev.eventbus.relay.PostgresOutboxNotifications;
import dev.eventbus.relay.PostgresOutboxNotifier;
import dev.eventbus.relay.RelayObserver;
import dev.eventbus.relay.RelayRound;
import dev.eventbus.relay.RelayStatus;
import dev.eventbus.schema.Database;
import dev.eventbus.schema.EventbusTables;
import dev.eventbus.transport.OutboxTransport;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Auto-configuration of the relay that moves outbox events to the broker through the
 * {@link OutboxTransport} a transport's auto-configuration provides.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = EventbusAutoConfiguration.class)
@ConditionalOnBean({ JdbcOutboxRepository.class, OutboxTransport.class })
@ConditionalOnBooleanProperty(name = "eventbus.outbox.relay.enabled", matchIfMissing = true)
public final class EventbusRelayAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RelayStatus eventbusRelayStatus() {
        return new RelayStatus(Clock.systemUTC());
    }

    @Bean
    @ConditionalOnMissingBean
    RelayRound eventbusRelayRound(JdbcOutboxRepository repository, DataSource dataSource, OutboxTransport transport,
            ParkedOutboxEvents parkedEvents, ObjectProvider<RelayObserver> observers, EventbusProperties properties) {
        TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        transaction.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        return new RelayRound(repository, transaction, transport, parkedEvents, observers.orderedStream().toList(),
                properties.getOutbox().getRelay().getBatchSize(), OutboxLanes.COUNT / 2,
                properties.getOutbox().getRetention().isZero(), Clock.systemUTC());
    }

    @Bean
    @ConditionalOnMissingBean
    OutboxRetention eventbusOutboxRetention(JdbcOutboxRepository repository, EventbusProperties properties) {
        return new OutboxRetention(repository, properties.getOutbox().getRetention(), Clock.systemUTC());
    }

    @Bean
    @ConditionalOnMissingBean
    OutboxRelay eventbusOutboxRelay(RelayRound round, OutboxRetention retention, EventbusProperties properties) {
        return new OutboxRelay(round, retention, properties.getOutbox().getRelay().getPollInterval(),
                properties.getOutbox().getRelay().getConcurrency(), Clock.systemUTC());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.postgresql.PGConnection")
    static class PostgresNotificationConfiguration {

        @Bean
        @ConditionalOnMissingBean
        PostgresOutboxNotifications eventbusPostgresOutboxNotifications(DataSource dataSource, Database database,
                EventbusTables tables, OutboxRelay relay, ObjectProvider<PostgresOutboxNotifier> notifier) {
            return new PostgresOutboxNotifications(dataSource, tables.outbox(), relay::wake, notifier.getIfAvailable(),
                    database == Database.POSTGRESQL);
        }

    }

}
