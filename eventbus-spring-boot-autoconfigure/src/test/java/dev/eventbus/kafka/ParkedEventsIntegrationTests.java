package dev.eventbus.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.eventbus.actuate.EventbusEndpoint;
import dev.eventbus.outbox.JdbcOutboxRepository;
import dev.eventbus.outbox.ParkedOutboxEvents;
import dev.eventbus.testsupport.KafkaBrokerProcess;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;
import dev.eventbus.testsupport.TestKafka;
import dev.eventbus.testapp.OrderPlaced;
import dev.eventbus.testapp.OrderService;
import dev.eventbus.testapp.TestApplication;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An event Kafka refuses for good (here: larger than the topic's {@code max.message.bytes}) is
 * parked instead of freezing its lane and the relay, shown by the endpoint, the gauge and health,
 * and sent once retried through the endpoint.
 */
class ParkedEventsIntegrationTests {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void eventTheBrokerRefusesIsParkedWhileLaterEventsOfItsKeyAndOthersFlowAndIsSentWhenRetried() throws Exception {
        String topic = TestKafka.uniqueTopic("parked");
        TestKafka.createTopic(TestKafka.bootstrapServers(), topic, 3, Map.of("max.message.bytes", "4096"));
        try (TestDatabase database = TestDatabases.embeddedPostgres();
                ConfigurableApplicationContext context = publisher(database, topic)) {
            OrderService orders = context.getBean(OrderService.class);
            UUID before = orders.place(new OrderPlaced("parked-1", 1));
            UUID tooLarge = orders.place(new OrderPlaced("parked-1", 2, "x".repeat(10_000)));
            UUID after = orders.place(new OrderPlaced("parked-1", 3));
            UUID otherKey = orders.place(new OrderPlaced("parked-2", 1));

            List<ConsumerRecord<String, byte[]>> records = awaitRecords(topic, List.of(before, after, otherKey));
            await().atMost(TIMEOUT)
                .until(() -> context.getBean(ParkedOutboxEvents.class).count() == 1
                        && context.getBean(JdbcOutboxRepository.class).countPending() == 0);

            assertThat(ids(records)).doesNotContain(tooLarge.toString());
            EventbusEndpoint endpoint = context.getBean(EventbusEndpoint.class);
            EventbusEndpoint.OutboxDescriptor outbox = endpoint.status().outbox();
            assertThat(outbox.failed()).isOne();
            assertThat(outbox.failedEvents()).singleElement().satisfies((parked) -> {
                assertThat(parked.eventId()).isEqualTo(tooLarge);
                assertThat(parked.topic()).isEqualTo(topic);
                assertThat(parked.key()).isEqualTo("parked-1");
                assertThat(parked.failure()).contains("RecordTooLargeException");
            });
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            await().atMost(TIMEOUT).until(() -> meters.get("eventbus.outbox.failed").gauge().value() == 1.0);
            assertThat(meters.get("eventbus.relay.failures").tag("exception", "RecordTooLargeException").counter()
                .count()).isGreaterThanOrEqualTo(1);
            assertThat(context.getBean("eventbusHealthIndicator", HealthIndicator.class).health(true).getStatus())
                .isEqualTo(Status.UP);

            raiseMaxMessageBytes(topic);
            EventbusEndpoint.WriteDescriptor retried = endpoint.replay(null, null, List.of(tooLarge.toString()), null,
                    true);

            assertThat(retried.retried()).isOne();
            assertThat(ids(awaitRecords(topic, List.of(tooLarge)))).containsOnlyOnce(tooLarge.toString());
            await().atMost(TIMEOUT).until(() -> context.getBean(ParkedOutboxEvents.class).count() == 0);
        }
    }

    @Test
    void eventForATopicThatDoesNotExistIsParkedWhenTheBrokerCreatesNoTopics() {
        String missing = TestKafka.uniqueTopic("missing");
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(false);
                TestDatabase database = TestDatabases.embeddedPostgres();
                ConfigurableApplicationContext context = publisher(database, missing, broker.bootstrapServers(),
                        "--spring.kafka.producer.properties.max.block.ms=2000")) {
            UUID eventId = context.getBean(OrderService.class).place(new OrderPlaced("missing-1", 1));

            await().atMost(TIMEOUT).until(() -> context.getBean(ParkedOutboxEvents.class).count() == 1);

            assertThat(context.getBean(ParkedOutboxEvents.class).oldest(10)).singleElement().satisfies((parked) -> {
                assertThat(parked.eventId()).isEqualTo(eventId);
                assertThat(parked.failure()).contains("UnknownTopicOrPartitionException");
            });
            assertThat(context.getBean(JdbcOutboxRepository.class).countPending()).isZero();
        }
    }

    private static ConfigurableApplicationContext publisher(TestDatabase database, String topic) {
        return publisher(database, topic, TestKafka.bootstrapServers());
    }

    private static ConfigurableApplicationContext publisher(TestDatabase database, String topic,
            String bootstrapServers, String... extraArguments) {
        List<String> arguments = database.commandLineArguments();
        arguments.add("--spring.application.name=order-service");
        arguments.add("--spring.kafka.bootstrap-servers=" + bootstrapServers);
        arguments.addAll(List.of(extraArguments));
        arguments.add("--eventbus.topics[test.order-placed]=" + topic);
        arguments.add("--eventbus.outbox.max-payload-size=100KB");
        arguments.add("--management.endpoints.web.exposure.include=eventbus,health");
        return new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE)
            .run(arguments.toArray(String[]::new));
    }

    private static void raiseMaxMessageBytes(String topic) throws Exception {
        try (Admin admin = Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Collection<AlterConfigOp> raise = List.of(
                    new AlterConfigOp(new ConfigEntry("max.message.bytes", "200000"), AlterConfigOp.OpType.SET));
            admin.incrementalAlterConfigs(Map.of(resource, raise)).all().get();
        }
    }

    private static List<ConsumerRecord<String, byte[]>> awaitRecords(String topic, List<UUID> eventIds) {
        List<ConsumerRecord<String, byte[]>> records = TestKafka.readUntil(TestKafka.bootstrapServers(), topic,
                (read) -> ids(read).containsAll(eventIds.stream().map(UUID::toString).toList()), TIMEOUT);
        assertThat(ids(records)).containsAll(eventIds.stream().map(UUID::toString).toList());
        return records;
    }

    private static List<String> ids(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map((record) -> {
            Header id = record.headers().lastHeader("ce_id");
            return (id != null) ? new String(id.value(), StandardCharsets.UTF_8) : "";
        }).toList();
    }

}
