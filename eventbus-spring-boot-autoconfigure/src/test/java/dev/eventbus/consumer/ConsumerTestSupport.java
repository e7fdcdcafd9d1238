package dev.eventbus.consumer;

import java.time.Duration;
import java.util.List;

import dev.eventbus.consumertest.ConsumerTestApplication;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestKafka;
import dev.eventbus.testapp.TestApplication;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts publisher and consumer applications on the embedded Kafka broker.
 */
final class ConsumerTestSupport {

    private ConsumerTestSupport() {
    }

    static List<String> consumerArguments(TestDatabase database, String topic, String group, int concurrency) {
        List<String> arguments = database.commandLineArguments();
        arguments.add("--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers());
        arguments.add("--spring.main.web-application-type=none");
        arguments.add("--spring.application.name=consumer-test");
        arguments.add("--spring.kafka.consumer.properties.session.timeout.ms=6000");
        arguments.add("--spring.kafka.consumer.properties.heartbeat.interval.ms=1000");
        arguments.add("--eventbus.consumer.group=" + group);
        arguments.add("--eventbus.consumer.concurrency=" + concurrency);
        arguments.add("--eventbus.consumer.retry.initial-backoff=10ms");
        arguments.add("--eventbus.topics[test.order-placed]=" + topic);
        return arguments;
    }

    static ConfigurableApplicationContext startConsumer(TestDatabase database, String topic, String group,
            int concurrency, String... extraArguments) {
        List<String> arguments = consumerArguments(database, topic, group, concurrency);
        arguments.addAll(List.of(extraArguments));
        return new SpringApplicationBuilder(ConsumerTestApplication.class).web(WebApplicationType.NONE)
            .run(arguments.toArray(String[]::new));
    }

    static ConfigurableApplicationContext startPublisher(TestDatabase database, String topic,
            String... extraArguments) {
        List<String> arguments = database.commandLineArguments();
        arguments.add("--spring.application.name=order-service");
        arguments.add("--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers());
        arguments.add("--eventbus.topics[test.order-placed]=" + topic);
        arguments.addAll(List.of(extraArguments));
        return new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE)
            .run(arguments.toArray(String[]::new));
    }

    static double count(ConfigurableApplicationContext context, String outcome) {
        return context.getBean(MeterRegistry.class)
            .find("eventbus.consumer.events")
            .tag("outcome", outcome)
            .counters()
            .stream()
            .mapToDouble(Counter::count)
            .sum();
    }

    static Duration timeout() {
        return Duration.ofSeconds(60);
    }

}
