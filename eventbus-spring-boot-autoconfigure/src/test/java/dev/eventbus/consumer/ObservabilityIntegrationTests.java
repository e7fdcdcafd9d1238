package dev.eventbus.consumer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.eventbus.EventPublisher;
import dev.eventbus.actuate.EventbusEndpoint;
import dev.eventbus.consumertest.OrderHandlers;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;
import dev.eventbus.testsupport.TestKafka;
import dev.eventbus.testapp.OrderPlaced;
import dev.eventbus.testapp.OrderService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tracing, the Actuator endpoint's dead-letter replay and the metric names the shipped dashboard
 * and alert rules rely on, with a real tracer, database and broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservabilityIntegrationTests {

    static final String[] OBSERVED = { "--management.tracing.sampling.probability=1.0",
            "--management.endpoints.web.exposure.include=health,prometheus,eventbus" };

    TestDatabase database;

    String topic;

    ConfigurableApplicationContext publisher;

    ConfigurableApplicationContext consumer;

    @BeforeAll
    void start() {
        this.database = TestDatabases.embeddedPostgres();
        this.topic = TestKafka.uniqueTopic("observed");
        TestKafka.createTopic(TestKafka.bootstrapServers(), this.topic, 3);
        this.publisher = ConsumerTestSupport.startPublisher(this.database, this.topic, OBSERVED);
        this.consumer = ConsumerTestSupport.startConsumer(this.database, this.topic, "observed", 1, OBSERVED);
    }

    @AfterAll
    void stop() {
        for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { this.consumer,
                this.publisher }) {
            if (context != null) {
                context.close();
            }
        }
        if (this.database != null) {
            this.database.close();
        }
    }

    @Test
    @Order(1)
    void handlerRunsInTheTraceOfThePublishingRequest() {
        Tracer tracer = this.publisher.getBean(Tracer.class);
        TransactionTemplate transaction = this.publisher.getBean(TransactionTemplate.class);
        EventPublisher events = this.publisher.getBean(EventPublisher.class);
        Span request = tracer.nextSpan().name("POST /orders").start();
        UUID eventId;
        try (Tracer.SpanInScope scope = tracer.withSpan(request)) {
            eventId = transaction.execute((status) -> events.publish(new OrderPlaced("traced-1", 1)));
        }
        finally {
            request.end();
        }

        OrderHandlers.Handled handled = awaitHandled(eventId);

        assertThat(handled.traceId()).isNotEmpty().isEqualTo(request.context().traceId());
        assertThat(handled.metadata().headers()).containsKey("traceparent");
    }

    @Test
    @Order(2)
    void deadLetteredEventIsHandledOnceWhenReplayedAfterTheFixAndReplayingAgainChangesNothing() {
        UUID poison = this.publisher.getBean(OrderService.class).place(new OrderPlaced("poison-1", 1, "fail-until-fixed"));
        await().atMost(ConsumerTestSupport.timeout())
            .until(() -> ConsumerTestSupport.count(this.consumer, "dead-lettered") == 1);
        handlers().fix();
        EventbusEndpoint endpoint = this.consumer.getBean(EventbusEndpoint.class);

        EventbusEndpoint.WriteDescriptor replayed = endpoint.replay(this.topic, null, List.of(poison.toString()), null,
                null);

        assertThat(replayed.replayed()).isOne();
        await().atMost(ConsumerTestSupport.timeout()).until(() -> successfulHandlings(poison) == 1);
        double duplicatesBefore = ConsumerTestSupport.count(this.consumer, "duplicate");

        assertThat(endpoint.replay(this.topic, null, null, null, null).replayed()).isOne();

        await().atMost(ConsumerTestSupport.timeout())
            .until(() -> ConsumerTestSupport.count(this.consumer, "duplicate") == duplicatesBefore + 1);
        assertThat(successfulHandlings(poison)).isOne();
        assertThat(endpoint.status().consumers()).extracting(EventbusEndpoint.ConsumerDescriptor::group)
            .containsExactly("observed");
    }

    @Test
    @Order(3)
    void everyMetricOfTheShippedDashboardAndAlertRulesIsExposedToPrometheus() throws IOException {
        String tinyTopic = TestKafka.uniqueTopic("tiny");
        TestKafka.createTopic(TestKafka.bootstrapServers(), tinyTopic, 1, Map.of("max.message.bytes", "128"));
        try (TestDatabase refusingTopicDatabase = TestDatabases.embeddedPostgres();
                ConfigurableApplicationContext failingRelay = ConsumerTestSupport.startPublisher(
                        refusingTopicDatabase, tinyTopic, "--eventbus.outbox.relay.poll-interval=100ms")) {
            failingRelay.getBean(OrderService.class).place(new OrderPlaced("too-large", 1));
            await().atMost(ConsumerTestSupport.timeout())
                .until(() -> scrape(failingRelay).contains("eventbus_relay_failures_total{"));
            String scraped = scrape(this.publisher) + scrape(this.consumer) + scrape(failingRelay);

            Set<String> names = metricNames(Path.of("../docker/grafana/dashboards/eventbus.json"));
            names.addAll(metricNames(Path.of("../docker/prometheus/alerts.yml")));

            assertThat(names).contains("eventbus_outbox_lag_seconds", "eventbus_relay_latency_seconds_bucket",
                    "eventbus_consumer_events_total");
            assertThat(names).allSatisfy((name) -> assertThat(scraped).as(name)
                .containsPattern("(?m)^" + Pattern.quote(name) + "[{ ]"));
        }
    }

    private static String scrape(ConfigurableApplicationContext context) {
        return context.getBean(PrometheusMeterRegistry.class).scrape();
    }

    private static Set<String> metricNames(Path asset) throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher matcher = Pattern.compile("eventbus_[a-z_]+").matcher(Files.readString(asset));
        while (matcher.find()) {
            names.add(matcher.group());
        }
        return names;
    }

    private long successfulHandlings(UUID eventId) {
        return this.consumer.getBean(JdbcTemplate.class)
            .queryForObject("SELECT COUNT(*) FROM handled_order WHERE event_id = ?", Long.class, eventId.toString());
    }

    private OrderHandlers.Handled awaitHandled(UUID eventId) {
        await().atMost(ConsumerTestSupport.timeout())
            .until(() -> handlers().handled().stream().anyMatch((handled) -> handled.metadata().id().equals(eventId)));
        return handlers().handled().stream()
            .filter((handled) -> handled.metadata().id().equals(eventId))
            .findFirst()
            .orElseThrow();
    }

    private OrderHandlers handlers() {
        return this.consumer.getBean(OrderHandlers.class);
    }

}
