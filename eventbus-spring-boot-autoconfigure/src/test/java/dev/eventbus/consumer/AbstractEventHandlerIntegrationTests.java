package dev.eventbus.consumer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.eventbus.EventMetadata;
import dev.eventbus.consumertest.OrderHandlers;
import dev.eventbus.test.TestDatabase;
import dev.eventbus.test.TestKafka;
import dev.eventbus.testapp.OrderPlaced;
import dev.eventbus.testapp.OrderService;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @EventHandler} consumers against a real database and a real KRaft broker: an order
 * service publishes through the outbox, a consumer application in another group handles.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractEventHandlerIntegrationTests {

    static final String GROUP = "inventory";

    TestDatabase database;

    String topic;

    ConfigurableApplicationContext publisher;

    ConfigurableApplicationContext consumer;

    abstract TestDatabase createDatabase();

    @BeforeAll
    void start() {
        this.database = createDatabase();
        this.topic = TestKafka.uniqueTopic("handled");
        TestKafka.createTopic(TestKafka.bootstrapServers(), this.topic, 3);
        this.publisher = ConsumerTestSupport.startPublisher(this.database, this.topic);
        this.consumer = ConsumerTestSupport.startConsumer(this.database, this.topic, GROUP, 1);
    }

    @AfterAll
    void stop() {
        if (this.consumer != null) {
            this.consumer.close();
        }
        if (this.publisher != null) {
            this.publisher.close();
        }
        if (this.database != null) {
            this.database.close();
        }
    }

    @Test
    void eventPublishedInOneApplicationIsHandledOnceInAnotherGroupWithItsMetadata() {
        UUID eventId = this.publisher.getBean(OrderService.class).place(new OrderPlaced("order-1", 1));

        OrderHandlers.Handled handled = awaitHandled(eventId);

        EventMetadata metadata = handled.metadata();
        assertThat(handled.event()).isEqualTo(new OrderPlaced("order-1", 1));
        assertThat(metadata.type()).isEqualTo("test.order-placed");
        assertThat(metadata.version()).isEqualTo(2);
        assertThat(metadata.key()).isEqualTo("order-1");
        assertThat(metadata.source()).isEqualTo("order-service");
        assertThat(metadata.topic()).isEqualTo(this.topic);
        assertThat(metadata.offset()).isNotNegative();
        assertThat(metadata.attempt()).isEqualTo(1);
        assertThat(metadata.occurredAt()).isBefore(java.time.Instant.now());
        assertThat(metadata.headers()).containsEntry("ce_id", eventId.toString());
        assertThat(handledRows(eventId)).isOne();
        assertThat(processedRows(eventId)).isOne();
    }

    @Test
    void sameRecordDeliveredThreeMoreTimesIsHandledOnce() {
        String id = UUID.randomUUID().toString();
        byte[] value = "{\"orderId\":\"order-2\",\"sequence\":1,\"note\":\"\"}".getBytes(StandardCharsets.UTF_8);
        double duplicatesBefore = ConsumerTestSupport.count(this.consumer, "duplicate");
        for (int i = 0; i < 4; i++) {
            ConsumerTestSupport.send(this.topic, "order-2", value,
                    withVersion(ConsumerTestSupport.cloudEventHeaders(id, "test.order-placed")));
        }

        await().atMost(ConsumerTestSupport.timeout())
            .until(() -> ConsumerTestSupport.count(this.consumer, "duplicate") - duplicatesBefore == 3);

        UUID eventId = UUID.fromString(id);
        assertThat(handlers().handled()).filteredOn((handled) -> handled.metadata().id().equals(eventId)).hasSize(1);
        assertThat(handledRows(eventId)).isOne();
        assertThat(processedRows(eventId)).isOne();
    }

    @Test
    void failingHandlerIsRetriedRolledBackThenDeadLetteredAndTheNextRecordIsHandled() {
        OrderService orders = this.publisher.getBean(OrderService.class);
        UUID failing = orders.place(new OrderPlaced("order-3", 1, "fail"));
        UUID next = orders.place(new OrderPlaced("order-3", 2));

        awaitHandled(next);

        assertThat(handlers().handled()).filteredOn((handled) -> handled.metadata().id().equals(failing))
            .extracting((handled) -> handled.metadata().attempt())
            .containsExactly(1, 2, 3);
        assertThat(handledRows(failing)).isZero();
        assertThat(processedRows(failing)).isZero();
        ConsumerRecord<String, byte[]> deadLetter = awaitDeadLetter(failing.toString());
        assertThat(deadLetter.key()).isEqualTo("order-3");
        assertThat(new String(deadLetter.value(), StandardCharsets.UTF_8)).contains("\"note\":\"fail\"");
        assertThat(header(deadLetter, "kafka_dlt-exception-fqcn")).isEqualTo(IllegalStateException.class.getName());
        assertThat(header(deadLetter, "kafka_dlt-exception-message")).isEqualTo("cannot handle order-3");
        assertThat(header(deadLetter, "kafka_dlt-original-topic")).isEqualTo(this.topic);
        assertThat(header(deadLetter, "eventbus-attempts")).isEqualTo("3");
        assertThat(header(deadLetter, "ce_type")).isEqualTo("test.order-placed");
        assertThat(ConsumerTestSupport.count(this.consumer, "dead-lettered")).isGreaterThanOrEqualTo(1);
        assertThat(ConsumerTestSupport.count(this.consumer, "retried")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void recordFailingAmidItsPollBatchIsDeadLetteredAndEveryOtherRecordIsHandledExactlyOnce() {
        List<OrderPlaced> orders = new ArrayList<>();
        for (int sequence = 101; sequence <= 120; sequence++) {
            orders.add(new OrderPlaced("order-9", sequence, (sequence == 110) ? "fail" : ""));
        }
        List<UUID> ids = this.publisher.getBean(OrderService.class).placeAll(orders);

        awaitHandled(ids.get(19));

        for (int i = 0; i < ids.size(); i++) {
            assertThat(handledRows(ids.get(i))).as("handled rows of event %d", i).isEqualTo((i == 9) ? 0 : 1);
            assertThat(processedRows(ids.get(i))).as("processed rows of event %d", i).isEqualTo((i == 9) ? 0 : 1);
        }
        assertThat(jdbc().queryForList("SELECT sequence_number FROM handled_order WHERE order_id = 'order-9'",
                Integer.class)).hasSize(19).doesNotContain(110);
        assertThat(handlers().handled()).filteredOn((handled) -> handled.metadata().id().equals(ids.get(9)))
            .extracting((handled) -> handled.metadata().attempt())
            .containsExactly(1, 2, 3);
        assertThat(header(awaitDeadLetter(ids.get(9).toString()), "eventbus-attempts")).isEqualTo("3");
    }

    @Test
    void recordIsRedeliveredNotDeadLetteredWhileTheDatabaseIsUnreachable() {
        double deadLetteredBefore = ConsumerTestSupport.count(this.consumer, "dead-lettered");

        UUID eventId = this.publisher.getBean(OrderService.class)
            .place(new OrderPlaced("order-8", 1, "database-down-4-times"));

        awaitHandled(eventId);
        assertThat(handledRows(eventId)).isOne();
        assertThat(ConsumerTestSupport.count(this.consumer, "dead-lettered")).isEqualTo(deadLetteredBefore);
    }

    @Test
    void malformedRecordsGoToTheDeadLetterTopicAndTheConsumerContinues() {
        String invalidJson = UUID.randomUUID().toString();
        ConsumerTestSupport.send(this.topic, "order-4", "{not json".getBytes(StandardCharsets.UTF_8),
                withVersion(ConsumerTestSupport.cloudEventHeaders(invalidJson, "test.order-placed")));
        ConsumerTestSupport.send(this.topic, "order-4", "{\"orderId\":\"order-4\"}".getBytes(StandardCharsets.UTF_8),
                Map.of("marker", "no-cloudevents-headers"));
        UUID next = this.publisher.getBean(OrderService.class).place(new OrderPlaced("order-4", 3));

        awaitHandled(next);

        List<ConsumerRecord<String, byte[]>> deadLetters = TestKafka.readUntil(TestKafka.bootstrapServers(),
                this.topic + "-dlt",
                (read) -> read.stream().filter((record) -> "order-4".equals(record.key())).count() == 2,
                ConsumerTestSupport.timeout());
        assertThat(deadLetters).filteredOn((record) -> "order-4".equals(record.key()))
            .extracting((record) -> header(record, "kafka_dlt-exception-message"))
            .anyMatch((message) -> message.contains("is not valid JSON for OrderPlaced"))
            .anyMatch((message) -> message.contains("lacks the CloudEvents attribute specversion"));
    }

    @Test
    void eventTypeUnknownToTheGroupIsIgnoredAndCounted() {
        double ignoredBefore = ConsumerTestSupport.count(this.consumer, "ignored");

        ConsumerTestSupport.send(this.topic, "order-5", "{}".getBytes(StandardCharsets.UTF_8),
                ConsumerTestSupport.cloudEventHeaders(UUID.randomUUID().toString(), "test.something-else"));

        await().atMost(ConsumerTestSupport.timeout())
            .until(() -> ConsumerTestSupport.count(this.consumer, "ignored") - ignoredBefore == 1);
    }

    @Test
    void structuredModeCloudEventOfAnotherProducerIsHandled() {
        String id = "external-" + UUID.randomUUID();
        String envelope = "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"https://example.com/shop\","
                + "\"type\":\"test.order-placed\",\"eventversion\":\"2\",\"time\":\"2026-11-22T10:00:00Z\","
                + "\"datacontenttype\":\"application/json\","
                + "\"data\":{\"orderId\":\"order-6\",\"sequence\":9,\"note\":\"\"}}";

        ConsumerTestSupport.send(this.topic, "order-6", envelope.getBytes(StandardCharsets.UTF_8),
                Map.of("content-type", "application/cloudevents+json; charset=UTF-8"));

        await().atMost(ConsumerTestSupport.timeout())
            .until(() -> handlers().handled().stream().anyMatch((handled) -> handled.event().sequence() == 9));
        OrderHandlers.Handled handled = handlers().handled().stream()
            .filter((candidate) -> candidate.event().sequence() == 9)
            .findFirst()
            .orElseThrow();
        assertThat(handled.metadata().source()).isEqualTo("https://example.com/shop");
        assertThat(handled.metadata().occurredAt()).isEqualTo(java.time.Instant.parse("2026-11-22T10:00:00Z"));
        assertThat(handled.metadata().id()).isEqualTo(CloudEventDecoder.eventId(id, "https://example.com/shop"));
    }

    @Test
    void retentionDeletesProcessedIdsOnceTheyExpire() {
        UUID eventId = this.publisher.getBean(OrderService.class).place(new OrderPlaced("order-7", 1));
        awaitHandled(eventId);
        jdbc().update("UPDATE eventbus_processed_event SET processed_at = ? WHERE event_id = ?",
                java.sql.Timestamp.from(java.time.Instant.now().minus(Duration.ofDays(31))), eventIdParameter(eventId));

        int deleted = this.consumer.getBean(ProcessedEventRetention.class).deleteExpired();

        assertThat(deleted).isOne();
        assertThat(processedRows(eventId)).isZero();
    }

    OrderHandlers.Handled awaitHandled(UUID eventId) {
        await().atMost(ConsumerTestSupport.timeout())
            .until(() -> handlers().handled().stream().anyMatch((handled) -> handled.metadata().id().equals(eventId)
                    && handledRows(eventId) > 0));
        return handlers().handled().stream()
            .filter((handled) -> handled.metadata().id().equals(eventId))
            .reduce((first, second) -> second)
            .orElseThrow();
    }

    ConsumerRecord<String, byte[]> awaitDeadLetter(String eventId) {
        List<ConsumerRecord<String, byte[]>> records = TestKafka.readUntil(TestKafka.bootstrapServers(),
                this.topic + "-dlt", (read) -> read.stream().anyMatch((record) -> eventId.equals(header(record, "ce_id"))),
                ConsumerTestSupport.timeout());
        return records.stream().filter((record) -> eventId.equals(header(record, "ce_id"))).findFirst().orElseThrow();
    }

    static Map<String, String> withVersion(Map<String, String> headers) {
        headers.put("ce_eventversion", "2");
        return headers;
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return (header != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
    }

    OrderHandlers handlers() {
        return this.consumer.getBean(OrderHandlers.class);
    }

    int handledRows(UUID eventId) {
        return jdbc().queryForObject("SELECT COUNT(*) FROM handled_order WHERE event_id = ?", Integer.class,
                eventId.toString());
    }

    int processedRows(UUID eventId) {
        return jdbc().queryForObject(
                "SELECT COUNT(*) FROM eventbus_processed_event WHERE consumer_group = ? AND event_id = ?",
                Integer.class, GROUP, eventIdParameter(eventId));
    }

    Object eventIdParameter(UUID eventId) {
        return eventId;
    }

    JdbcTemplate jdbc() {
        return this.consumer.getBean(JdbcTemplate.class);
    }

}
