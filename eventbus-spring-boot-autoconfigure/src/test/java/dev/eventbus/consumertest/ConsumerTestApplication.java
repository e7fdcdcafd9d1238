package dev.eventbus.consumertest;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * An application with {@code @EventHandler} methods, for consumer integration tests. Run as a
 * separate process it is a consumer instance that a test can kill.
 */
@SpringBootApplication
public class ConsumerTestApplication {

    @Bean
    SimpleMeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }

    public static void main(String[] args) {
        SpringApplication.run(ConsumerTestApplication.class, args);
    }

}
