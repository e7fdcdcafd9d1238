package dev.eventbus.autoconfigure;

import java.util.UUID;

import javax.sql.DataSource;

import dev.eventbus.EventPublisher;
import dev.eventbus.kafka.KafkaTransportAutoConfiguration;
import dev.eventbus.outbox.JdbcOutboxRepository;
import dev.eventbus.outbox.OutboxEventPublisher;
import dev.eventbus.relay.OutboxRelay;
import dev.eventbus.relay.OutboxRetention;
import dev.eventbus.relay.PostgresOutboxNotifications;
import dev.eventbus.relay.PostgresOutboxNotifier;
import dev.eventbus.schema.EventbusSchemaInitializer;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;

import static org.assertj.core.api.Assertions.assertThat;

class EventbusAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withClassLoader(new FilteredClassLoader(RabbitTemplate.class, io.nats.client.Connection.class))
        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                DataSourceTransactionManagerAutoConfiguration.class, JacksonAutoConfiguration.class,
                KafkaAutoConfiguration.class, EventbusAutoConfiguration.class, KafkaTransportAutoConfiguration.class,
                EventbusRelayAutoConfiguration.class))
        .withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "spring.kafka.bootstrap-servers=127.0.0.1:1");

    @Test
    void providesPublisherRelayAndSchema() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasSingleBean(OutboxEventPublisher.class);
            assertThat(context).hasSingleBean(OutboxRelay.class);
            assertThat(context).hasSingleBean(EventbusSchemaInitializer.class);
            assertThat(new JdbcTemplate(context.getBean(DataSource.class))
                .queryForObject("SELECT COUNT(*) FROM eventbus_outbox_lane", Integer.class)).isEqualTo(64);
        });
    }

    @Test
    void notificationListenerKnowsTheInstancesOwnNotifier() {
        this.contextRunner.run((context) -> assertThat(context.getBean(PostgresOutboxNotifications.class))
            .extracting("ownNotifier")
            .isSameAs(context.getBean(PostgresOutboxNotifier.class)));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnBeans() {
        this.contextRunner.withUserConfiguration(UserBeans.class).run((context) -> {
            assertThat(context).hasSingleBean(EventPublisher.class);
            assertThat(context).doesNotHaveBean(OutboxEventPublisher.class);
            assertThat(context.getBean(EventPublisher.class)).isSameAs(context.getBean(UserBeans.class).publisher);
            assertThat(context).hasSingleBean(OutboxRetention.class);
            assertThat(context).getBean("userRetention").isSameAs(context.getBean(OutboxRetention.class));
        });
    }

    @Test
    void isSwitchedOffByEventbusEnabled() {
        this.contextRunner.withPropertyValues("eventbus.enabled=false").run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(EventPublisher.class);
            assertThat(context).doesNotHaveBean(OutboxRelay.class);
        });
    }

    @Test
    void relayCanBeSwitchedOffWhilePublishingStays() {
        this.contextRunner.withPropertyValues("eventbus.outbox.relay.enabled=false").run((context) -> {
            assertThat(context).hasSingleBean(EventPublisher.class);
            assertThat(context).doesNotHaveBean(OutboxRelay.class);
        });
    }

    @Test
    void relayWithoutAnyTransportFailsStartUpNamingTheProperties() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(KafkaTemplate.class, RabbitTemplate.class,
                io.nats.client.Connection.class)).run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                .hasMessageContaining("eventbus.outbox.relay.enabled is true but no transport")
                .hasMessageContaining("eventbus.transport");
        });
        this.contextRunner.withClassLoader(new FilteredClassLoader(KafkaTemplate.class, RabbitTemplate.class,
                io.nats.client.Connection.class))
            .withPropertyValues("eventbus.outbox.relay.enabled=false")
            .run((context) -> assertThat(context).hasNotFailed().hasSingleBean(EventPublisher.class));
    }

    @Test
    void maxPayloadSizeOverTheProducersMaxRequestSizeFailsStartUpNamingBoth() {
        this.contextRunner.withPropertyValues("eventbus.outbox.max-payload-size=2MB").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .hasMessageContaining("eventbus.outbox.max-payload-size is 2097152 bytes")
                .hasMessageContaining("max.request.size of 1048576 bytes");
        });
        this.contextRunner
            .withPropertyValues("eventbus.outbox.max-payload-size=2MB",
                    "spring.kafka.producer.properties.max.request.size=3000000")
            .run((context) -> assertThat(context).hasNotFailed().hasSingleBean(OutboxRelay.class));
    }

    @Test
    void unknownTransportFailsStartUpNamingTheProperty() {
        this.contextRunner.withPropertyValues("eventbus.transport=carrier-pigeon").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("eventbus.transport");
        });
    }

    @Test
    void schemaCreationCanBeLeftToTheApplication() {
        this.contextRunner.withPropertyValues("eventbus.schema.create=false", "eventbus.outbox.relay.enabled=false")
            .run((context) -> {
                assertThat(context).doesNotHaveBean(EventbusSchemaInitializer.class);
                assertThat(context).hasSingleBean(JdbcOutboxRepository.class);
            });
    }

    @Test
    void tablePrefixNamesTheTables() {
        this.contextRunner.withPropertyValues("eventbus.schema.table-prefix=shop_events_").run((context) -> {
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM shop_events_outbox", Integer.class)).isZero();
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM shop_events_processed_event", Integer.class))
                .isZero();
        });
    }

    @Test
    void needsADataSource() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(EventbusAutoConfiguration.class))
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EventPublisher.class));
    }

    @Test
    void unparsableDurationFailsStartUpNamingTheProperty() {
        assertStartUpFailsNaming("eventbus.outbox.relay.poll-interval=soon", "eventbus.outbox.relay.poll-interval");
    }

    @Test
    void negativeDurationFailsStartUpNamingTheProperty() {
        assertStartUpFailsNaming("eventbus.outbox.retention=-1d", "eventbus.outbox.retention");
    }

    @Test
    void zeroBatchSizeFailsStartUpNamingTheProperty() {
        assertStartUpFailsNaming("eventbus.outbox.relay.batch-size=0", "eventbus.outbox.relay.batch-size");
    }

    @Test
    void relayConcurrencyBeyondHalfTheLanesFailsStartUpNamingTheProperty() {
        assertStartUpFailsNaming("eventbus.outbox.relay.concurrency=33", "eventbus.outbox.relay.concurrency");
        assertStartUpFailsNaming("eventbus.outbox.relay.concurrency=0", "eventbus.outbox.relay.concurrency");
    }

    @Test
    void tablePrefixThatIsNotAPlainIdentifierFailsStartUpNamingTheProperty() {
        assertStartUpFailsNaming("eventbus.schema.table-prefix=x; DROP TABLE users; --",
                "eventbus.schema.table-prefix");
    }

    @Test
    void unknownNonRetryableExceptionClassFailsStartUpNamingTheProperty() {
        assertStartUpFailsNaming("eventbus.consumer.retry.non-retryable=com.example.NoSuchException",
                "eventbus.consumer.retry.non-retryable");
    }

    @Test
    void invalidTopicNameFailsStartUpNamingTheProperty() {
        assertStartUpFailsNaming("eventbus.topics[order.placed]=orders and more", "eventbus.topics[order.placed]");
    }

    private void assertStartUpFailsNaming(String property, String name) {
        this.contextRunner.withPropertyValues(property).run((context) -> {
            assertThat(context).hasFailed();
            StringBuilder messages = new StringBuilder();
            for (Throwable cause = context.getStartupFailure(); cause != null; cause = cause.getCause()) {
                messages.append(cause.getMessage()).append('\n');
            }
            assertThat(messages).contains(name);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class UserBeans {

        final EventPublisher publisher = new EventPublisher() {

            @Override
            public UUID publish(Object event) {
                return UUID.randomUUID();
            }

            @Override
            public UUID publish(Object event, String key) {
                return UUID.randomUUID();
            }

        };

        @Bean
        EventPublisher userPublisher() {
            return this.publisher;
        }

        @Bean
        OutboxRetention userRetention(JdbcOutboxRepository repository) {
            return new OutboxRetention(repository, java.time.Duration.ofDays(1), java.time.Clock.systemUTC());
        }

    }

}
