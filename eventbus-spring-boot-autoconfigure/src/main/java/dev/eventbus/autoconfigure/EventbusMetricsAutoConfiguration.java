package dev.eventbus.autoconfigure;

import dev.eventbus.metrics.MicrometerConsumerObserver;
import dev.eventbus.metrics.MicrometerRelayObserver;
import dev.eventbus.metrics.OutboxMeters;
import dev.eventbus.outbox.OutboxStatistics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters of eventbus, active only when the application has a {@link MeterRegistry}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = EventbusAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, OutboxStatistics.class })
public final class EventbusMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    OutboxMeters eventbusOutboxMeters(OutboxStatistics statistics) {
        return new OutboxMeters(statistics);
    }

    @Bean
    @ConditionalOnMissingBean
    MicrometerRelayObserver eventbusMicrometerRelayObserver(MeterRegistry registry) {
        return new MicrometerRelayObserver(registry);
    }

    @Bean
    @ConditionalOnMissingBean
    MicrometerConsumerObserver eventbusMicrometerConsumerObserver(MeterRegistry registry) {
        return new MicrometerConsumerObserver(registry);
    }

}
