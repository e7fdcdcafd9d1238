package dev.eventbus.relay;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.eventbus.EventPublisher;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestKafka;
import dev.eventbus.testapp.OrderPlaced;
import dev.eventbus.testapp.OrderService;
import dev.eventbus.testapp.TestApplication;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.cloudevents.core.message.MessageReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The outbox and relay against a real database and a real KRaft broker. Subclasses choose the
 * database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractOutboxRelayIntegrationTests {

    static final Duration POLL_INTERVAL = Duration.ofSeconds(5);

    TestDatabase database;

    String topic;

    ConfigurableApplicationContext context;

    abstract TestDatabase createDatabase();

    @BeforeAll
    void startApplication() {
        this.database = createDatabase();
        this.topic = TestKafka.uniqueTopic("orders");
        TestKafka.createTopic(TestKafka.bootstrapServers(), this.topic, 3);
        this.context = startApplication(true);
    }

    ConfigurableApplicationContext startApplication(boolean relayEnabled) {
        Map<String, Object> properties = new HashMap<>(this.database.springProperties());
        properties.put("spring.application.name", "order-service");
        properties.put("spring.kafka.bootstrap-servers", TestKafka.bootstrapServers());
        properties.put("eventbus.topics[test.order-placed]", this.topic);
        properties.put("eventbus.outbox.relay.poll-interval", POLL_INTERVAL.toString());
        properties.put("eventbus.outbox.relay.enabled", relayEnabled);
        properties.put("eventbus.outbox.max-payload-size", "10KB");
        return new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE)
            .properties(properties)
            .run();
    }

    @AfterAll
    void stopApplication() {
        if (this.context != null) {
            this.context.close();
        }
        if (this.database != null) {
            this.database.close();
        }
    }

    @Test
    void publishedEventReachesTheTopicAsCloudEvent() {
        UUID eventId = orders().place(new OrderPlaced("order-1", 7));

        ConsumerRecord<String, byte[]> record = awaitRecord(eventId);

        assertThat(record.key()).isEqualTo("order-1");
        assertThat(new String(record.value(), StandardCharsets.UTF_8))
            .isEqualTo("{\"orderId\":\"order-1\",\"sequence\":7,\"note\":\"\"}");
        assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(record, "ce_type")).isEqualTo("test.order-placed");
        assertThat(header(record, "ce_eventversion")).isEqualTo("2");
        assertThat(header(record, "ce_source")).isEqualTo("order-service");
        assertThat(header(record, "content-type")).isEqualTo("application/json");
        assertThat(Instant.parse(header(record, "ce_time"))).isBefore(Instant.now().plusSeconds(1));

        MessageReader reader = KafkaMessageFactory.createReader(record);
        CloudEvent cloudEvent = reader.toEvent();
        assertThat(cloudEvent.getId()).isEqualTo(eventId.toString());
        assertThat(cloudEvent.getType()).isEqualTo("test.order-placed");
        assertThat(cloudEvent.getSource().toString()).isEqualTo("order-service");
        assertThat(cloudEvent.getDataContentType()).isEqualTo("application/json");
        assertThat(cloudEvent.getExtension("eventversion")).isEqualTo("2");
        assertThat(new String(cloudEvent.getData().toBytes(), StandardCharsets.UTF_8)).contains("\"sequence\":7");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(publishedAt(eventId)).isNotNull());
    }

    @Test
    void rolledBackTransactionLeavesNoRowAndNoRecord() {
        UUID rolledBack = assertThatExceptionOfType(OrderService.RolledBack.class)
            .isThrownBy(() -> orders().placeThenFail(new OrderPlaced("order-2", 1)))
            .actual()
            .eventId();
        UUID committed = orders().place(new OrderPlaced("order-2", 2));

        List<ConsumerRecord<String, byte[]>> records = readUntilSeen(committed);

        assertThat(eventIds(records)).contains(committed.toString()).doesNotContain(rolledBack.toString());
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM eventbus_outbox WHERE event_key = 'order-2'",
                Integer.class))
            .isEqualTo(1);
    }

    @Test
    void eventTypeObjectsPublishedAsApplicationEventsGoToTheOutbox() {
        orders().placeThroughApplicationEvents(new OrderPlaced("order-3", 1));

        List<ConsumerRecord<String, byte[]>> records = TestKafka.readUntil(TestKafka.bootstrapServers(), this.topic,
                (read) -> read.stream().anyMatch((record) -> "order-3".equals(record.key())), Duration.ofSeconds(20));

        assertThat(records).anyMatch((record) -> "order-3".equals(record.key()));
    }

    @Test
    void innerRequiresNewTransactionKeepsItsOwnEvents() {
        TransactionTemplate outer = this.context.getBean(TransactionTemplate.class);
        TransactionTemplate inner = new TransactionTemplate(this.context.getBean(PlatformTransactionManager.class));
        inner.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        UUID[] ids = new UUID[2];

        assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> outer.executeWithoutResult((status) -> {
            ids[0] = publisher().publish(new OrderPlaced("order-9", 1));
            ids[1] = inner.execute((innerStatus) -> publisher().publish(new OrderPlaced("order-9", 2)));
            throw new IllegalStateException("outer transaction rolls back");
        }));

        assertThat(rowsOf(ids[0])).isZero();
        assertThat(rowsOf(ids[1])).isOne();
    }

    @Test
    void eventPublishedByAnotherBeforeCommitCallbackIsStoredToo() {
        TransactionTemplate transaction = this.context.getBean(TransactionTemplate.class);
        UUID[] late = new UUID[1];

        UUID early = transaction.execute((status) -> {
            UUID id = publisher().publish(new OrderPlaced("order-10", 1));
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    late[0] = publisher().publish(new OrderPlaced("order-10", 2));
                }
            });
            return id;
        });

        assertThat(rowsOf(early)).isOne();
        assertThat(rowsOf(late[0])).isOne();
    }

    @Test
    void publishingInATransactionThatDoesNotIncludeTheOutboxDataSourceIsRefused() {
        DriverManagerDataSource otherDatabase = new DriverManagerDataSource(
                "jdbc:h2:mem:other-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        TransactionTemplate otherTransaction = new TransactionTemplate(new DataSourceTransactionManager(otherDatabase));

        assertThatExceptionOfType(IllegalStateException.class)
            .isThrownBy(() -> otherTransaction
                .executeWithoutResult((status) -> publisher().publish(new OrderPlaced("order-11", 1))))
            .withMessageContaining("does not include the outbox's DataSource");
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM eventbus_outbox WHERE event_key = 'order-11'",
                Integer.class))
            .isZero();
    }

    @Test
    void eventsOfANestedScopeRolledBackToItsSavepointAreDiscarded() {
        TransactionTemplate outer = this.context.getBean(TransactionTemplate.class);
        TransactionTemplate nested = new TransactionTemplate(this.context.getBean(PlatformTransactionManager.class));
        nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        UUID[] ids = new UUID[3];

        outer.executeWithoutResult((status) -> {
            ids[0] = publisher().publish(new OrderPlaced("order-12", 1));
            try {
                nested.executeWithoutResult((nestedStatus) -> {
                    ids[1] = publisher().publish(new OrderPlaced("order-12", 2));
                    throw new IllegalStateException("nested scope rolls back");
                });
            }
            catch (IllegalStateException expected) {
                // the outer transaction goes on
            }
            ids[2] = publisher().publish(new OrderPlaced("order-12", 3));
        });

        assertThat(rowsOf(ids[0])).isOne();
        assertThat(rowsOf(ids[1])).isZero();
        assertThat(rowsOf(ids[2])).isOne();
    }

    @Test
    void firstEventsPublishedInANestedScopeRolledBackToItsSavepointAreDiscarded() {
        TransactionTemplate outer = this.context.getBean(TransactionTemplate.class);
        TransactionTemplate nested = new TransactionTemplate(this.context.getBean(PlatformTransactionManager.class));
        nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        UUID[] ids = new UUID[2];

        outer.executeWithoutResult((status) -> {
            try {
                nested.executeWithoutResult((nestedStatus) -> {
                    ids[0] = publisher().publish(new OrderPlaced("order-13", 1));
                    throw new IllegalStateException("nested scope rolls back");
                });
            }
            catch (IllegalStateException expected) {
                // the outer transaction goes on
            }
            ids[1] = publisher().publish(new OrderPlaced("order-13", 2));
        });

        assertThat(rowsOf(ids[0])).isZero();
        assertThat(rowsOf(ids[1])).isOne();
    }

    @Test
    void publishingOutsideATransactionIsRefused() {
        assertThatExceptionOfType(IllegalStateException.class)
            .isThrownBy(() -> publisher().publish(new OrderPlaced("order-4", 1)))
            .withMessageContaining("No transaction is active")
            .withMessageContaining("eventbus.outbox.require-transaction");
    }

    @Test
    void classWithoutEventTypeIsRefused() {
        TransactionTemplate transaction = this.context.getBean(TransactionTemplate.class);
        assertThatExceptionOfType(IllegalArgumentException.class)
            .isThrownBy(() -> transaction.executeWithoutResult((status) -> publisher().publish("just a string")))
            .withMessageContaining("java.lang.String is not an event")
            .withMessageContaining("@dev.eventbus.EventType");
    }

    @Test
    void eventLargerThanMaxPayloadSizeIsRefusedAtPublish() {
        OrderPlaced large = new OrderPlaced("order-5", 1, "x".repeat(11 * 1024));

        assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> orders().place(large))
            .withMessageContaining("eventbus.outbox.max-payload-size");
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM eventbus_outbox WHERE event_key = 'order-5'",
                Integer.class))
            .isZero();
    }

    @Test
    void retentionDeletesPublishedRowsOnceTheyExpire() {
        UUID old = orders().place(new OrderPlaced("order-6", 1));
        UUID recent = orders().place(new OrderPlaced("order-6", 2));
        await().atMost(Duration.ofSeconds(20))
            .untilAsserted(() -> assertThat(publishedAt(old)).isNotNull());
        await().atMost(Duration.ofSeconds(20))
            .untilAsserted(() -> assertThat(publishedAt(recent)).isNotNull());
        jdbc().update("UPDATE eventbus_outbox SET published_at = ? WHERE event_id = ?",
                Timestamp.from(Instant.now().minus(Duration.ofDays(8))), eventIdParameter(old));

        int deleted = this.context.getBean(OutboxRetention.class).deleteExpired();

        assertThat(deleted).isOne();
        assertThat(rowsOf(old)).isZero();
        assertThat(rowsOf(recent)).isOne();
    }

    @Test
    void commitWakesTheIdleRelayLongBeforeThePollInterval() throws InterruptedException {
        orders().place(new OrderPlaced("order-7", 0));
        Thread.sleep(POLL_INTERVAL.toMillis() / 5);

        long committed = System.nanoTime();
        UUID eventId = orders().place(new OrderPlaced("order-7", 1));
        await().atMost(POLL_INTERVAL).pollInterval(Duration.ofMillis(5)).until(() -> publishedAt(eventId) != null);
        Duration latency = Duration.ofNanos(System.nanoTime() - committed);

        assertThat(latency).isLessThan(POLL_INTERVAL.dividedBy(5));
    }

    ConsumerRecord<String, byte[]> awaitRecord(UUID eventId) {
        return readUntilSeen(eventId).stream()
            .filter((record) -> eventId.toString().equals(header(record, "ce_id")))
            .findFirst()
            .orElseThrow();
    }

    List<ConsumerRecord<String, byte[]>> readUntilSeen(UUID eventId) {
        List<ConsumerRecord<String, byte[]>> records = TestKafka.readUntil(TestKafka.bootstrapServers(), this.topic,
                (read) -> eventIds(read).contains(eventId.toString()), Duration.ofSeconds(30));
        assertThat(eventIds(records)).as("event ids on " + this.topic).contains(eventId.toString());
        return records;
    }

    static List<String> eventIds(List<ConsumerRecord<String, byte[]>> records) {
        List<String> ids = new ArrayList<>();
        records.forEach((record) -> ids.add(header(record, "ce_id")));
        return ids;
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return (header != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
    }

    Timestamp publishedAt(UUID eventId) {
        return jdbc().query("SELECT published_at FROM eventbus_outbox WHERE event_id = ?",
                (rs) -> rs.next() ? rs.getTimestamp(1) : null, eventIdParameter(eventId));
    }

    int rowsOf(UUID eventId) {
        return jdbc().queryForObject("SELECT COUNT(*) FROM eventbus_outbox WHERE event_id = ?", Integer.class,
                eventIdParameter(eventId));
    }

    Object eventIdParameter(UUID eventId) {
        return eventId;
    }

    OrderService orders() {
        return this.context.getBean(OrderService.class);
    }

    EventPublisher publisher() {
        return this.context.getBean(EventPublisher.class);
    }

    JdbcTemplate jdbc() {
        return this.context.getBean(JdbcTemplate.class);
    }

}
