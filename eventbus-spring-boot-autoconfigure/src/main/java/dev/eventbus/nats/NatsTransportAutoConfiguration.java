package dev.eventbus.nats;

import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.UUID;

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
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StorageType;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the NATS JetStream transport ({@code eventbus.transport=nats}, the default
 * when jnats is the only broker client on the class path), connected with {@code eventbus.nats.*}
 * or through the application's own {@link Connection} bean.
 *
 * @since 0.2.0
 */
@AutoConfiguration(after = EventbusAutoConfiguration.class, before = { EventbusRelayAutoConfiguration.class,
        EventbusConsumerAutoConfiguration.class, EventbusEndpointAutoConfiguration.class })
@ConditionalOnClass(Connection.class)
@ConditionalOnBean(JdbcOutboxRepository.class)
@ConditionalOnEventbusTransport("nats")
@EnableConfigurationProperties(NatsTransportProperties.class)
public final class NatsTransportAutoConfiguration {

    /** How long a relay round, a dead-letter flush or a replay waits for a publish ack. */
    static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    /** How long a consumer waits for an acknowledgement before it delivers a message again. */
    static final Duration ACK_WAIT = Duration.ofSeconds(30);

    /** The most messages handed to the handlers at once. */
    static final int BATCH_SIZE = 100;

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    Connection eventbusNatsConnection(NatsTransportProperties properties, Environment environment,
            NatsPublishPermissions permissions) throws IOException, InterruptedException {
        properties.validate();
        Options.Builder options = Options.builder()
            .servers(properties.getUrl().split(","))
            .errorListener(permissions)
            .maxReconnects(-1)
            .reconnectWait(Duration.ofSeconds(1))
            .connectionName((properties.getConnectionName() != null) ? properties.getConnectionName()
                    : environment.getProperty("spring.application.name", "eventbus"));
        if (properties.getCredentials() != null) {
            options.credentialPath(properties.getCredentials().toString());
        }
        if (properties.getToken() != null) {
            options.token(properties.getToken().toCharArray());
        }
        if (properties.getUsername() != null && properties.getPassword() != null) {
            options.userInfo(properties.getUsername().toCharArray(), properties.getPassword().toCharArray());
        }
        if (properties.isTls()) {
            try {
                options.secure();
            }
            catch (NoSuchAlgorithmException ex) {
                throw new IllegalStateException("eventbus.nats.tls is true but TLS is not available", ex);
            }
        }
        return Nats.connectReconnectOnConnect(options.build());
    }

    @Bean
    @ConditionalOnMissingBean
    NatsPublishPermissions eventbusNatsPublishPermissions() {
        return new NatsPublishPermissions();
    }

    @Bean
    @ConditionalOnMissingBean
    Partitions eventbusPartitions(EventbusProperties properties) {
        return new Partitions(properties.getPartitions());
    }

    @Bean
    @ConditionalOnMissingBean
    NatsStreams eventbusNatsStreams(Connection connection, EventbusProperties properties,
            NatsTransportProperties natsProperties) throws IOException {
        return new NatsStreams(connection.jetStreamManagement(), properties.getPartitions(),
                natsProperties.getDuplicateWindow(), natsProperties.getStream().getReplicas(),
                storage(natsProperties), maxAge(natsProperties, properties), ACK_WAIT);
    }

    /**
     * The retention of topic streams: the property, else the longer of the processed-id and
     * outbox retentions, never shorter than the duplicate window.
     */
    private static Duration maxAge(NatsTransportProperties nats, EventbusProperties properties) {
        Duration maxAge = nats.getStream().getMaxAge();
        if (maxAge == null) {
            Duration processed = properties.getConsumer().getProcessed().getRetention();
            Duration outbox = properties.getOutbox().getRetention();
            return (processed.compareTo(outbox) >= 0) ? processed : outbox;
        }
        if (!maxAge.isZero() && maxAge.compareTo(nats.getDuplicateWindow()) < 0) {
            throw new IllegalArgumentException("eventbus.nats.stream.max-age (" + maxAge
                    + ") must not be shorter than eventbus.nats.duplicate-window (" + nats.getDuplicateWindow() + ")");
        }
        return maxAge;
    }

    private static StorageType storage(NatsTransportProperties properties) {
        return properties.getStream().getStorage().equals("memory") ? StorageType.Memory : StorageType.File;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "eventbus.outbox.relay.enabled", matchIfMissing = true)
    static class RelayConfiguration {

        @Bean
        @ConditionalOnMissingBean(OutboxTransport.class)
        NatsOutboxTransport eventbusNatsOutboxTransport(Connection connection, NatsStreams streams,
                Partitions partitions, NatsPublishPermissions permissions) throws IOException {
            JetStream jetStream = connection.jetStream();
            return new NatsOutboxTransport(jetStream, streams, partitions, connection::getMaxPayload, ACK_TIMEOUT,
                    permissions);
        }

    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "eventbus.consumer.enabled", matchIfMissing = true)
    static class ConsumerConfiguration {

        @Bean
        @ConditionalOnMissingBean
        NatsPartitionLeases eventbusNatsPartitionLeases(Connection connection, NatsTransportProperties properties) {
            return new NatsPartitionLeases(connection, UUID.randomUUID().toString(), storage(properties),
                    properties.getStream().getReplicas());
        }

        @Bean
        @ConditionalOnMissingBean(ConsumerTransport.class)
        NatsConsumers eventbusNatsConsumers(Connection connection, NatsStreams streams, NatsPartitionLeases leases,
                EventbusProperties properties) {
            return new NatsConsumers(connection, streams, leases, BATCH_SIZE,
                    properties.getConsumer().getShutdownTimeout());
        }

        @Bean
        @ConditionalOnMissingBean({ DeadLetterSink.class, DeadLetterReplayer.class })
        NatsDeadLetters eventbusNatsDeadLetters(Connection connection, Partitions partitions) throws IOException {
            return new NatsDeadLetters(connection.jetStream(), connection.jetStreamManagement(), partitions,
                    ACK_TIMEOUT);
        }

    }

}
