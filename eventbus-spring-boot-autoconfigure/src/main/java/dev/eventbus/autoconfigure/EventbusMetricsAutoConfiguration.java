package dev.eventbus.autoconfigure;

import dev.eventbus.consumer.ConsumerObserver;
import dev.eventbus.metrics.MicrometerConsumerObserver;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters of eventbus, active only when the application has a {@link MeterRegistry}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "eventbus.enabled", matchIfMissing = true)
public final class EventbusMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(ConsumerObserver.class)
    MicrometerConsumerObserver eventbusMicrometerConsumerObserver(MeterRegistry registry) {
        return new MicrometerConsumerObserver(registry);
    }

}
