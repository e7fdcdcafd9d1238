package dev.eventbus.rabbitmq;

import java.time.Duration;

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
import dev.eventbus.wire.Partitions;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitConnectionFactoryBean;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.amqp.autoconfigure.CachingConnectionFactoryConfigurer;
import org.springframework.boot.amqp.autoconfigure.ConnectionFactoryCustomizer;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionFactoryBeanConfigurer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the RabbitMQ transport ({@code eventbus.transport=rabbitmq}, the default
 * when spring-rabbit is the only broker client on the class path). RabbitMQ is configured with
 * Spring Boot's {@code spring.rabbitmq.*}: consumers use the application's connection factory;
 * publishing with confirms uses one of its own that Boot's configurers set up from the same
 * properties.
 *
 * @since 0.2.0
 */
@AutoConfiguration(after = { EventbusAutoConfiguration.class, RabbitAutoConfiguration.class },
        before = { EventbusRelayAutoConfiguration.class, EventbusConsumerAutoConfiguration.class,
                EventbusEndpointAutoConfiguration.class })
@ConditionalOnClass(RabbitTemplate.class)
@ConditionalOnBean({ JdbcOutboxRepository.class, ConnectionFactory.class })
@ConditionalOnEventbusTransport("rabbitmq")
public final class RabbitTransportAutoConfiguration {

    /** How long a relay round, a dead-letter flush or a replay waits for a publisher confirm. */
    static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(30);

    /** The prefetch and the most messages handed to the handlers at once. */
    static final int BATCH_SIZE = 100;

    @Bean
    @ConditionalOnMissingBean
    RabbitTopology eventbusRabbitTopology(ConnectionFactory connectionFactory, EventbusProperties properties) {
        return new RabbitTopology(new RabbitAdmin(connectionFactory), properties.getPartitions(),
                properties.getConsumer().getDeadLetter().getSuffix());
    }

    @Bean
    @ConditionalOnMissingBean
    Partitions eventbusPartitions(EventbusProperties properties) {
        return new Partitions(properties.getPartitions());
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    ConfirmedPublisher eventbusRabbitConfirmedPublisher(RabbitConnectionFactoryBeanConfigurer beanConfigurer,
            CachingConnectionFactoryConfigurer connectionFactoryConfigurer,
            ObjectProvider<ConnectionFactoryCustomizer> customizers) throws Exception {
        RabbitConnectionFactoryBean factoryBean = new RabbitConnectionFactoryBean();
        beanConfigurer.configure(factoryBean);
        factoryBean.afterPropertiesSet();
        com.rabbitmq.client.ConnectionFactory clientFactory = factoryBean.getObject();
        customizers.orderedStream().forEach((customizer) -> customizer.customize(clientFactory));
        CachingConnectionFactory connectionFactory = new CachingConnectionFactory(clientFactory);
        connectionFactoryConfigurer.configure(connectionFactory);
        connectionFactory.setConnectionNameStrategy((factory) -> "eventbus-publisher");
        return new ConfirmedPublisher(connectionFactory);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "eventbus.outbox.relay.enabled", matchIfMissing = true)
    static class RelayConfiguration {

        @Bean
        @ConditionalOnMissingBean(OutboxTransport.class)
        RabbitOutboxTransport eventbusRabbitOutboxTransport(ConfirmedPublisher publisher, RabbitTopology topology,
                Partitions partitions) {
            return new RabbitOutboxTransport(publisher, topology, partitions, new CloudEventMessageMapper(),
                    CONFIRM_TIMEOUT);
        }

    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "eventbus.consumer.enabled", matchIfMissing = true)
    static class ConsumerConfiguration {

        @Bean
        @ConditionalOnMissingBean(ConsumerTransport.class)
        RabbitListenerContainers eventbusRabbitListenerContainers(ConnectionFactory connectionFactory,
                RabbitTopology topology, EventbusProperties properties) {
            return new RabbitListenerContainers(connectionFactory, topology, BATCH_SIZE,
                    properties.getConsumer().getShutdownTimeout());
        }

        @Bean
        @ConditionalOnMissingBean(DeadLetterSink.class)
        RabbitDeadLetterSink eventbusRabbitDeadLetterSink(ConfirmedPublisher publisher, RabbitTopology topology) {
            return new RabbitDeadLetterSink(publisher, topology, CONFIRM_TIMEOUT);
        }

        @Bean
        @ConditionalOnMissingBean(DeadLetterReplayer.class)
        RabbitDeadLetterReplayer eventbusRabbitDeadLetterReplayer(ConnectionFactory connectionFactory,
                ConfirmedPublisher publisher, RabbitTopology topology, Partitions partitions) {
            return new RabbitDeadLetterReplayer(connectionFactory, publisher, topology, partitions, CONFIRM_TIMEOUT);
        }

    }

}
