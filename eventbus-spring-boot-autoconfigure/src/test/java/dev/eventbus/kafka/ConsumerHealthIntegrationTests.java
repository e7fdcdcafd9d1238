package dev.eventbus.kafka;

import java.time.Duration;
import java.util.List;

import dev.eventbus.consumertest.ConsumerTestApplication;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;
import dev.eventbus.testsupport.TestKafka;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The eventbus health tells when a consumer stopped delivering on its own, as when a container's
 * consumer thread ends, on the embedded KRaft broker and PostgreSQL.
 */
class ConsumerHealthIntegrationTests {

    @Test
    void healthIsDownAndNamesTheEndpointWhoseContainerStoppedOnItsOwn() {
        String topic = TestKafka.uniqueTopic("kafka-health");
        TestKafka.createTopic(TestKafka.bootstrapServers(), topic, 3);
        try (TestDatabase database = TestDatabases.embeddedPostgres();
                ConfigurableApplicationContext consumer = new SpringApplicationBuilder(ConsumerTestApplication.class)
                    .web(WebApplicationType.NONE)
                    .run(arguments(database, topic).toArray(String[]::new))) {
            HealthIndicator health = consumer.getBean("eventbusHealthIndicator", HealthIndicator.class);
            String id = "eventbus-health-" + topic;
            ConcurrentMessageListenerContainer<?, ?> container = consumer.getBean(KafkaListenerContainers.class)
                .container(id);
            await().atMost(Duration.ofSeconds(60)).until(() -> container.isRunning());
            assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);

            container.getContainers().get(0).stop();

            await().atMost(Duration.ofSeconds(60)).until(() -> health.health(true).getStatus().equals(Status.DOWN));
            assertThat(health.health(true).getDetails()).containsEntry("stoppedConsumers", List.of(id));
        }
    }

    private static List<String> arguments(TestDatabase database, String topic) {
        List<String> arguments = database.commandLineArguments();
        arguments.add("--spring.application.name=consumer-test");
        arguments.add("--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers());
        arguments.add("--eventbus.topics[test.order-placed]=" + topic);
        arguments.add("--eventbus.consumer.group=health");
        arguments.add("--eventbus.outbox.relay.enabled=false");
        return arguments;
    }

}
