package dev.eventbus.demo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.eventbus.EventPublisher;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes a few greetings, one of them in a transaction that rolls back, and prints the records
 * that reach Kafka.
 */
@Component
class GreetingScenario implements ApplicationRunner {

    private final EventPublisher publisher;

    private final TransactionTemplate transaction;

    private final Environment environment;

    private final ConfigurableApplicationContext context;

    GreetingScenario(EventPublisher publisher, TransactionTemplate transaction, Environment environment,
            ConfigurableApplicationContext context) {
        this.publisher = publisher;
        this.transaction = transaction;
        this.environment = environment;
        this.context = context;
    }

    @Override
    public void run(ApplicationArguments args) {
        for (String name : List.of("Ada", "Grace", "Ada")) {
            this.transaction.executeWithoutResult((status) -> {
                var id = this.publisher.publish(new Greeting(name, "Hello, " + name));
                System.out.println("committed  " + id + " greeting " + name);
            });
        }
        try {
            this.transaction.executeWithoutResult((status) -> {
                var id = this.publisher.publish(new Greeting("Linus", "never sent"));
                System.out.println("rolled back " + id + " greeting Linus: it never reaches Kafka");
                throw new IllegalStateException("business rule failed");
            });
        }
        catch (IllegalStateException expected) {
            // the event was discarded with the transaction
        }
        printTopic();
        if (this.environment.getProperty("demo.exit", Boolean.class, false)) {
            System.exit(SpringApplication.exit(this.context));
        }
        System.out.println("Demo is running; Kafka at " + this.environment.getProperty("spring.kafka.bootstrap-servers")
                + ". Press Ctrl+C to stop.");
    }

    private void printTopic() {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                this.environment.getRequiredProperty("spring.kafka.bootstrap-servers"), ConsumerConfig.GROUP_ID_CONFIG,
                "demo-printer", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("demo.greeting"));
            int received = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received < 3 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    received++;
                    System.out.printf("on Kafka   key=%s type=%s id=%s value=%s%n", record.key(),
                            header(record, "ce_type"), header(record, "ce_id"),
                            new String(record.value(), StandardCharsets.UTF_8));
                }
            }
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return (header != null) ? new String(header.value(), StandardCharsets.UTF_8) : "";
    }

}
