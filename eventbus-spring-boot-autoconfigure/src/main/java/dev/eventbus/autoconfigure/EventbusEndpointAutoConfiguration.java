package dev.eventbus.autoconfigure;

import dev.eventbus.actuate.EventbusEndpoint;
import dev.eventbus.consumer.DeadLetterReplayer;
import dev.eventbus.consumer.EventListenerContainers;
import dev.eventbus.outbox.JdbcOutboxRepository;
import dev.eventbus.outbox.OutboxStatistics;
import dev.eventbus.relay.RelayStatus;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The {@code eventbus} Actuator endpoint, when Spring Boot's Actuator is present and the endpoint
 * is available.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { EventbusAutoConfiguration.class, EventbusRelayAutoConfiguration.class,
        EventbusConsumerAutoConfiguration.class })
@ConditionalOnClass({ Endpoint.class, KafkaTemplate.class })
@ConditionalOnBean(OutboxStatistics.class)
@ConditionalOnAvailableEndpoint(EventbusEndpoint.class)
public final class EventbusEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(EventListenerContainers.class)
    DeadLetterReplayer eventbusDeadLetterReplayer(KafkaProperties kafkaProperties, EventbusProperties properties,
            ObjectProvider<DefaultKafkaProducerFactoryCustomizer> customizers) {
        return new DeadLetterReplayer(kafkaProperties.buildConsumerProperties(),
                EventbusProducers.template(kafkaProperties, customizers, "eventbus-replay", new ByteArraySerializer(),
                        new ByteArraySerializer()),
                properties.getConsumer().getDeadLetter().getSuffix());
    }

    @Bean
    @ConditionalOnMissingBean
    EventbusEndpoint eventbusEndpoint(OutboxStatistics statistics, JdbcOutboxRepository outbox,
            ObjectProvider<RelayStatus> relayStatus, ObjectProvider<EventListenerContainers> containers,
            ObjectProvider<DeadLetterReplayer> replayer) {
        return new EventbusEndpoint(statistics, outbox, relayStatus.getIfAvailable(), containers.getIfAvailable(),
                replayer.getIfAvailable());
    }

}
