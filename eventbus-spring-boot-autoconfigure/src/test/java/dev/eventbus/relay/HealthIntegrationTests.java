package dev.eventbus.relay;

import java.time.Duration;

import dev.eventbus.testsupport.KafkaBrokerProcess;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;
import dev.eventbus.testsupport.TestKafka;
import dev.eventbus.testapp.OrderPlaced;
import dev.eventbus.testapp.OrderService;
import dev.eventbus.testapp.TestApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The eventbus health follows the outbox lag: DOWN while the broker, a separate process, is away
 * long enough, UP again once the backlog has drained. Boot's liveness and readiness probes stay UP
 * meanwhile: the instance keeps committing business transactions, which is what the outbox is for.
 */
class HealthIntegrationTests {

    @Test
    void healthIsDownWhileTheBrokerIsAwayAndUpAgainOnceTheBacklogDrained() {
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start();
                TestDatabase database = TestDatabases.embeddedPostgres();
                ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
                    .web(WebApplicationType.NONE)
                    .run(arguments(database, broker))) {
            HealthIndicator health = context.getBean("eventbusHealthIndicator", HealthIndicator.class);
            OrderService orders = context.getBean(OrderService.class);
            orders.place(new OrderPlaced("healthy", 1));
            await().atMost(Duration.ofSeconds(30))
                .until(() -> health.health(true).getDetails().get("pending").equals(0L));
            assertThat(status(health)).isEqualTo(Status.UP);

            broker.kill();
            orders.place(new OrderPlaced("stuck", 1));

            await().atMost(Duration.ofSeconds(30)).until(() -> status(health).equals(Status.DOWN));
            assertThat(health.health(true).getDetails()).containsEntry("pending", 1L);
            HealthEndpoint endpoint = context.getBean(HealthEndpoint.class);
            assertThat(endpoint.health().getStatus()).isEqualTo(Status.DOWN);
            assertThat(endpoint.healthForPath("liveness").getStatus()).isEqualTo(Status.UP);
            assertThat(endpoint.healthForPath("readiness").getStatus()).isEqualTo(Status.UP);
            await().atMost(Duration.ofSeconds(30))
                .until(() -> health.health(true).getDetails().containsKey("lastRelayError"));

            broker.restart();

            await().atMost(Duration.ofSeconds(60)).until(() -> status(health).equals(Status.UP));
            assertThat(health.health(true).getDetails()).containsEntry("pending", 0L);
        }
    }

    private static Status status(HealthIndicator health) {
        return health.health(true).getStatus();
    }

    private static String[] arguments(TestDatabase database, KafkaBrokerProcess broker) {
        return new String[] { "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.username(), "--spring.kafka.bootstrap-servers="
                        + broker.bootstrapServers(),
                "--spring.kafka.producer.properties.delivery.timeout.ms=3000",
                "--spring.kafka.producer.properties.request.timeout.ms=1000",
                "--spring.kafka.producer.properties.max.block.ms=1000",
                "--eventbus.topics[test.order-placed]=" + TestKafka.uniqueTopic("health"),
                "--eventbus.health.max-outbox-lag=2s", "--eventbus.outbox.relay.poll-interval=200ms",
                "--management.endpoint.health.probes.enabled=true",
                "--management.endpoints.web.exposure.include=health" };
    }

}
