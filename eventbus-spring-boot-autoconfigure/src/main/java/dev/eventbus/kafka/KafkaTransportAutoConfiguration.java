package dev.eventbus.kafka;

import dev.eventbus.autoconfigure.ConditionalOnEventbusTransport;
import dev.eventbus.autoconfigure.EventbusAutoConfiguration;
import dev.eventbus.autoconfigure.EventbusConsumerAutoConfiguration;
import dev.eventbus.autoconfigure.EventbusEndpointAutoConfiguration;
import dev.eventbus.autoconfigure.EventbusProperties;
import dev.eventbus.autoconfigure.EventbusRelayAutoConfiguration;
import dev.eventbus.outbox.JdbcOutboxRepository;
import dev.eventbus.transport.ConsumerTransport;
import dev.eventbus.transport.DeadLetterReplayer;
import dev.eventbus.transport.DeadLetterSink;
import dev.eventbus.transport.OutboxTransport;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/**
 * Auto-configuration of the Kafka transport ({@code eventbus.transport=kafka}, the default when
 * spring-kafka is the only broker client on the class path): the relay's
 * {@link KafkaOutboxTransport}, the listener containers, dead letters and their replay. Kafka is
 * configured with Spring Boot's {@code spring.kafka.*}.
 *
 * @since 0.2.0
 */
@AutoConfiguration(after = { EventbusAutoConfiguration.class, KafkaAutoConfiguration.class },
        before = { EventbusRelayAutoConfiguration.class, EventbusConsumerAutoConfiguration.class,
                EventbusEndpointAutoConfiguration.class })
@ConditionalOnClass(KafkaTemplate.class)
@ConditionalOnBean({ JdbcOutboxRepository.class, KafkaProperties.class })
@ConditionalOnEventbusTransport("kafka")
public final class KafkaTransportAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "eventbus.outbox.relay.enabled", matchIfMissing = true)
    static class RelayConfiguration {

        @Bean
        @ConditionalOnMissingBean
        CloudEventRecordMapper eventbusCloudEventRecordMapper() {
            return new CloudEventRecordMapper();
        }

        @Bean
        @ConditionalOnMissingBean
        KafkaRefusals eventbusKafkaRefusals(KafkaProperties kafkaProperties) {
            return new KafkaRefusals(kafkaProperties.buildAdminProperties());
        }

        @Bean
        @ConditionalOnMissingBean(OutboxTransport.class)
        KafkaOutboxTransport eventbusKafkaOutboxTransport(KafkaProperties kafkaProperties,
                ObjectProvider<DefaultKafkaProducerFactoryCustomizer> customizers, CloudEventRecordMapper recordMapper,
                KafkaRefusals refusals, EventbusProperties properties) {
            KafkaTemplate<String, byte[]> template = KafkaClients.template(kafkaProperties, customizers,
                    "eventbus-relay", new StringSerializer(), new ByteArraySerializer());
            KafkaClients.checkPayloadFits(properties.getOutbox().getMaxPayloadSize(), template);
            return new KafkaOutboxTransport(template, recordMapper, refusals);
        }

    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "eventbus.consumer.enabled", matchIfMissing = true)
    static class ConsumerConfiguration {

        @Bean
        @ConditionalOnMissingBean(DeadLetterSink.class)
        KafkaDeadLetterSink eventbusKafkaDeadLetterSink(KafkaProperties kafkaProperties,
                EventbusProperties properties, ObjectProvider<DefaultKafkaProducerFactoryCustomizer> customizers) {
            return new KafkaDeadLetterSink(KafkaClients.template(kafkaProperties, customizers, "eventbus-dead-letter",
                    new ByteArraySerializer(), new ByteArraySerializer()),
                    properties.getConsumer().getDeadLetter().getSuffix());
        }

        @Bean
        @ConditionalOnMissingBean
        EventListenerContainerFactories eventbusEventListenerContainerFactories(KafkaProperties kafkaProperties,
                ObjectProvider<DefaultKafkaConsumerFactoryCustomizer> consumerFactoryCustomizers,
                ObjectProvider<ConcurrentKafkaListenerContainerFactoryConfigurer> configurer,
                ObjectProvider<ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>>> containerCustomizer,
                ApplicationContext applicationContext) {
            return new EventListenerContainerFactories(kafkaProperties, consumerFactoryCustomizers,
                    configurer.getIfUnique(), containerCustomizer.getIfAvailable(), applicationContext);
        }

        @Bean
        @ConditionalOnMissingBean(ConsumerTransport.class)
        KafkaListenerContainers eventbusKafkaListenerContainers(KafkaProperties kafkaProperties,
                ObjectProvider<KafkaListenerEndpointRegistry> registry, EventListenerContainerFactories factories,
                EventbusProperties properties, ObjectProvider<KafkaAdmin> kafkaAdmin,
                ObjectProvider<EventListenerContainerCustomizer> customizers) {
            return new KafkaListenerContainers(registry.getIfAvailable(KafkaListenerEndpointRegistry::new), factories,
                    properties.getConsumer().getDeadLetter().getSuffix(), kafkaAdmin.getIfUnique(),
                    customizers.orderedStream().toList(), new KafkaLag(kafkaProperties.buildAdminProperties()),
                    properties.getConsumer().getShutdownTimeout());
        }

        @Bean
        @ConditionalOnMissingBean(DeadLetterReplayer.class)
        KafkaDeadLetterReplayer eventbusKafkaDeadLetterReplayer(KafkaProperties kafkaProperties,
                EventbusProperties properties, ObjectProvider<DefaultKafkaProducerFactoryCustomizer> customizers) {
            return new KafkaDeadLetterReplayer(kafkaProperties.buildConsumerProperties(),
                    KafkaClients.template(kafkaProperties, customizers, "eventbus-replay", new ByteArraySerializer(),
                            new ByteArraySerializer()),
                    properties.getConsumer().getDeadLetter().getSuffix());
        }

    }

}
