package dev.eventbus.autoconfigure;

import dev.eventbus.actuate.EventbusEndpoint;
import dev.eventbus.consumer.EventConsumers;
import dev.eventbus.outbox.JdbcOutboxRepository;
import dev.eventbus.outbox.OutboxStatistics;
import dev.eventbus.outbox.ParkedOutboxEvents;
import dev.eventbus.relay.RelayStatus;
import dev.eventbus.transport.DeadLetterBrowser;
import dev.eventbus.transport.DeadLetterReplayer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code eventbus} Actuator endpoint, when Spring Boot's Actuator is present and the endpoint
 * is available; dead letters are replayed through the transport's {@link DeadLetterReplayer}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { EventbusAutoConfiguration.class, EventbusRelayAutoConfiguration.class,
        EventbusConsumerAutoConfiguration.class })
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(OutboxStatistics.class)
@ConditionalOnAvailableEndpoint(EventbusEndpoint.class)
public final class EventbusEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    EventbusEndpoint eventbusEndpoint(OutboxStatistics statistics, JdbcOutboxRepository outbox,
            ParkedOutboxEvents parkedEvents, ObjectProvider<RelayStatus> relayStatus, ObjectProvider<EventConsumers> consumers,
            ObjectProvider<DeadLetterReplayer> replayer, ObjectProvider<DeadLetterBrowser> deadLetters) {
        EventConsumers eventConsumers = consumers.getIfAvailable();
        return new EventbusEndpoint(statistics, outbox, parkedEvents, relayStatus.getIfAvailable(), eventConsumers,
                (eventConsumers != null) ? replayer.getIfAvailable() : null, deadLetters.getIfAvailable());
    }

}
