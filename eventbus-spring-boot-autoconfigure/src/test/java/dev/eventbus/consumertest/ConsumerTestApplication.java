package dev.eventbus.consumertest;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An application with {@code @EventHandler} methods, for consumer integration tests. Run as a
 * separate process it is a consumer instance that a test can kill.
 */
@SpringBootApplication
public class ConsumerTestApplication {

    public static void main(String[] args) {
        SpringApplication.run(ConsumerTestApplication.class, args);
    }

}
