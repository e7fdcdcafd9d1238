package dev.eventbus.demo;

import java.util.HashMap;
import java.util.Map;

import dev.eventbus.test.TestDatabase;
import dev.eventbus.test.TestDatabases;
import dev.eventbus.test.TestKafka;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Starts an embedded PostgreSQL server and an embedded KRaft broker, then an application that
 * publishes greetings through the outbox and prints them as they arrive on the topic. Pass
 * {@code --demo.exit=true} to stop after the scenario.
 */
@SpringBootApplication
public class DemoApplication {

    public static void main(String[] args) {
        System.out.println("Starting PostgreSQL and Kafka (KRaft) from Maven artifacts...");
        TestDatabase database = TestDatabases.embeddedPostgres();
        Map<String, Object> properties = new HashMap<>(database.springProperties());
        properties.put("spring.kafka.bootstrap-servers", TestKafka.bootstrapServers());
        SpringApplication application = new SpringApplication(DemoApplication.class);
        application.setDefaultProperties(properties);
        application.run(args);
    }

}
