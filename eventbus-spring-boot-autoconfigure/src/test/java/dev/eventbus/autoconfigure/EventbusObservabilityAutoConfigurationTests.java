package dev.eventbus.autoconfigure;

import java.util.UUID;

import dev.eventbus.actuate.EventbusEndpoint;
import dev.eventbus.health.EventbusHealthIndicator;
import dev.eventbus.kafka.KafkaTransportAutoConfiguration;
import dev.eventbus.metrics.MicrometerRelayObserver;
import dev.eventbus.metrics.OutboxMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class EventbusObservabilityAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withClassLoader(new FilteredClassLoader(RabbitTemplate.class, io.nats.client.Connection.class))
        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                DataSourceTransactionManagerAutoConfiguration.class, JacksonAutoConfiguration.class,
                KafkaAutoConfiguration.class, EndpointAutoConfiguration.class, EventbusAutoConfiguration.class,
                KafkaTransportAutoConfiguration.class, EventbusRelayAutoConfiguration.class, EventbusMetricsAutoConfiguration.class,
                EventbusHealthAutoConfiguration.class, EventbusEndpointAutoConfiguration.class))
        .withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "spring.kafka.bootstrap-servers=127.0.0.1:1");

    @Test
    void metersOnlyWithAMeterRegistry() {
        this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(OutboxMeters.class)
            .doesNotHaveBean(MicrometerRelayObserver.class));
        this.contextRunner.withBean(SimpleMeterRegistry.class).run((context) -> {
            assertThat(context).hasSingleBean(OutboxMeters.class).hasSingleBean(MicrometerRelayObserver.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            context.getBean(OutboxMeters.class).bindTo(registry);
            assertThat(registry.get("eventbus.outbox.pending").gauge().value()).isZero();
            assertThat(registry.get("eventbus.outbox.lag").gauge().value()).isZero();
        });
    }

    @Test
    void healthIndicatorIsUpWithAnEmptyOutboxAndCanBeSwitchedOff() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasSingleBean(EventbusHealthIndicator.class);
            assertThat(context.getBean(EventbusHealthIndicator.class).health(true).getStatus().getCode())
                .isEqualTo("UP");
        });
        this.contextRunner.withPropertyValues("management.health.eventbus.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(EventbusHealthIndicator.class));
        this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class, RabbitTemplate.class,
                io.nats.client.Connection.class))
            .run((context) -> assertThat(context).doesNotHaveBean(EventbusHealthIndicator.class));
    }

    @Test
    void endpointOnlyWhenExposed() {
        this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(EventbusEndpoint.class));
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=eventbus")
            .run((context) -> assertThat(context).hasSingleBean(EventbusEndpoint.class));
    }

}
