package dev.eventbus.benchmarks;

import org.HdrHistogram.Recorder;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Spring Modulith's side of the comparison: its JDBC event publication registry externalizing
 * {@link Measured} to Kafka, and, switched on by a property, a plain {@code @KafkaListener} as the
 * receiving application, since Modulith has no consumer side. eventbus is switched off by
 * {@link Infrastructure#startModulith}.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class ModulithApplication {

    @Bean
    @ConditionalOnProperty("benchmark.listener")
    LatencyListener latencyListener() {
        return new LatencyListener();
    }

    /**
     * Records the time from commit to listener of each externalized event, read through Modulith's
     * JSON message converter.
     */
    public static class LatencyListener {

        final Recorder latencies = new Recorder(3);

        @KafkaListener(topics = "${benchmark.topic}", groupId = "modulith", properties = "auto.offset.reset=earliest")
        void on(Measured event) {
            this.latencies.recordValue(Math.max(0, System.nanoTime() - event.committedNanos()));
        }

    }

}
