package dev.eventbus.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.eventbus.EventHandler;
import dev.eventbus.EventMetadata;
import dev.eventbus.consumer.ConsumerObserver;
import dev.eventbus.consumer.ConsumerOutcome;
import dev.eventbus.consumer.EventConsumers;
import dev.eventbus.consumer.EventHandlerEndpoint;
import dev.eventbus.consumer.GroupSettings;
import dev.eventbus.consumer.ProcessedEventRepository;
import dev.eventbus.kafka.KafkaTransportAutoConfiguration;
import dev.eventbus.metrics.MicrometerConsumerObserver;
import dev.eventbus.testapp.OrderPlaced;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class EventbusConsumerAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withClassLoader(new FilteredClassLoader(RabbitTemplate.class, io.nats.client.Connection.class))
        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                DataSourceTransactionManagerAutoConfiguration.class, JacksonAutoConfiguration.class,
                KafkaAutoConfiguration.class, EventbusAutoConfiguration.class, KafkaTransportAutoConfiguration.class,
                EventbusMetricsAutoConfiguration.class, EventbusConsumerAutoConfiguration.class))
        .withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "spring.kafka.bootstrap-servers=127.0.0.1:1", "spring.kafka.admin.operation-timeout=1s",
                "spring.kafka.admin.close-timeout=1s", "spring.kafka.admin.properties.default.api.timeout.ms=1000",
                "eventbus.outbox.relay.enabled=false");

    @Test
    void groupsHandlersByGroupAndTopicWithoutStartingAnything() {
        this.contextRunner.withUserConfiguration(Handlers.class)
            .withPropertyValues("spring.application.name=inventory", "eventbus.topics[test.order-placed]=orders")
            .run((context) -> {
                assertThat(context).hasSingleBean(ProcessedEventRepository.class);
                assertThat(context.getBean(EventConsumers.class).endpoints())
                    .extracting(EventHandlerEndpoint::group, EventHandlerEndpoint::topic)
                    .containsExactly(tuple("inventory", "orders"),
                            tuple("audit", "orders"));
            });
    }

    @Test
    void handlerWithAWrongSignatureFailsStartUpNamingTheMethod() {
        this.contextRunner.withUserConfiguration(WrongHandler.class).run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .hasMessageContaining("@EventHandler method " + WrongHandler.class.getName() + ".on(String)");
        });
    }

    @Test
    void handlerWithoutAnyGroupFailsStartUpNamingTheProperty() {
        this.contextRunner.withUserConfiguration(Handlers.class).run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("eventbus.consumer.group");
        });
    }

    @Test
    void groupSettingsOverrideTheDefaultsAndBadOnesFailStartUpNamingTheProperty() {
        this.contextRunner
            .withPropertyValues("eventbus.consumer.retry.max-attempts=5", "eventbus.consumer.groups.audit.concurrency=4",
                    "eventbus.consumer.groups.audit.handler-timeout=2s",
                    "eventbus.consumer.groups.audit.retry.initial-backoff=1ms")
            .run((context) -> {
                EventbusProperties.Consumer consumer = context.getBean(EventbusProperties.class).getConsumer();
                GroupSettings audit = consumer.settingsOf("audit");
                assertThat(audit.concurrency()).isEqualTo(4);
                assertThat(audit.handlerTimeout()).hasSeconds(2);
                assertThat(audit.maxAttempts()).isEqualTo(5);
                assertThat(audit.initialBackoff()).hasMillis(1);
                GroupSettings other = consumer.settingsOf("inventory");
                assertThat(other.concurrency()).isOne();
                assertThat(other.handlerTimeout()).hasSeconds(30);
                assertThat(other.initialBackoff()).hasMillis(200);
            });
        this.contextRunner.withPropertyValues("eventbus.consumer.groups.audit.retry.max-attempts=0").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                .hasStackTraceContaining("eventbus.consumer.groups.audit.retry")
                .hasStackTraceContaining("retry.max-attempts must be positive, but was 0");
        });
    }

    @Test
    void consumersCanBeSwitchedOff() {
        this.contextRunner.withUserConfiguration(Handlers.class)
            .withPropertyValues("eventbus.consumer.enabled=false")
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EventConsumers.class));
    }

    @Test
    void metricsOnlyWithAMeterRegistry() {
        this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(MicrometerConsumerObserver.class));
        this.contextRunner.withBean(SimpleMeterRegistry.class)
            .run((context) -> assertThat(context).hasSingleBean(MicrometerConsumerObserver.class));
        this.contextRunner.withBean(SimpleMeterRegistry.class)
            .withBean("userObserver", ConsumerObserver.class, () -> new ConsumerObserver() {
            })
            .run((context) -> assertThat(context).hasSingleBean(MicrometerConsumerObserver.class));
    }

    @Test
    void everyConsumerObserverIsTold() {
        List<String> told = new ArrayList<>();
        ConsumerObserver first = new ConsumerObserver() {
            @Override
            public void outcome(String group, String type, ConsumerOutcome outcome) {
                told.add("first " + outcome);
            }
        };
        ConsumerObserver second = new ConsumerObserver() {
            @Override
            public void outcome(String group, String type, ConsumerOutcome outcome) {
                told.add("second " + outcome);
            }
        };

        ConsumerObserver.of(List.of(first, second)).outcome("group", "type", ConsumerOutcome.PROCESSED);

        assertThat(told).containsExactly("first PROCESSED", "second PROCESSED");
        assertThat(ConsumerObserver.of(List.of())).isSameAs(ConsumerObserver.NONE);
    }

    @Configuration(proxyBeanMethods = false)
    static class Handlers {

        @Bean
        Object inventoryHandlers() {
            return new Object() {

                @EventHandler
                void on(OrderPlaced event, EventMetadata metadata) {
                }

            };
        }

        @Bean
        AuditHandlers auditHandlers() {
            return new AuditHandlers();
        }

    }

    static class AuditHandlers {

        @EventHandler(group = "audit")
        void on(OrderPlaced event) {
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class WrongHandler {

        @EventHandler
        void on(String notAnEvent) {
        }

    }

}
