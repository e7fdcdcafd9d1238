package dev.eventbus.autoconfigure;

import java.util.List;

import dev.eventbus.consumer.EventConsumers;
import dev.eventbus.health.EventbusHealthIndicator;
import dev.eventbus.outbox.OutboxStatistics;
import dev.eventbus.relay.RelayStatus;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code eventbus} health indicator, when Spring Boot's health support is present.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { EventbusAutoConfiguration.class, EventbusRelayAutoConfiguration.class,
        EventbusConsumerAutoConfiguration.class })
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(OutboxStatistics.class)
@ConditionalOnEnabledHealthIndicator("eventbus")
public final class EventbusHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "eventbusHealthIndicator")
    EventbusHealthIndicator eventbusHealthIndicator(OutboxStatistics statistics, ObjectProvider<RelayStatus> relayStatus,
            ObjectProvider<EventConsumers> consumers, EventbusProperties properties) {
        return new EventbusHealthIndicator(statistics, relayStatus.getIfAvailable(),
                properties.getHealth().getMaxOutboxLag(), () -> {
                    EventConsumers running = consumers.getIfAvailable();
                    return (running != null) ? running.stoppedUnexpectedly() : List.of();
                });
    }

}
