package dev.eventbus.kit;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.eventbus.EventMetadata;
import dev.eventbus.actuate.EventbusEndpoint;
import dev.eventbus.consumer.CloudEventDecoder;
import dev.eventbus.consumer.EventConsumers;
import dev.eventbus.consumer.HandlerErrorException;
import dev.eventbus.consumer.HandlerTimeoutException;
import dev.eventbus.consumer.ProcessedEventRetention;
import dev.eventbus.consumer.UnsupportedEventVersionException;
import dev.eventbus.consumertest.OrderHandlers;
import dev.eventbus.kit.KitTransport.KitMessage;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testapp.OrderPlaced;
import dev.eventbus.testapp.OrderService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The transport compatibility kit: what every transport must do, on a real broker and a real
 * database. A transport's test class extends it and supplies the broker ({@link #transport()})
 * and the database ({@link #createDatabase()}). An order service publishes through the outbox;
 * a consumer application of group {@value #GROUP} handles, with its handlers steered by the
 * event's note (see {@link OrderHandlers}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class AbstractTransportCompatibilityTests {

    static final String GROUP = "kit";

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private TestDatabase database;

    private KitTransport transport;

    private String topic;

    private ConfigurableApplicationContext publisher;

    private ConfigurableApplicationContext consumer;

    /**
     * The transport under test, connected to its broker.
     * @return the transport
     */
    protected abstract KitTransport transport();

    /**
     * A new database for this test class.
     * @return the database
     */
    protected abstract TestDatabase createDatabase();

    /**
     * A topic name no other test uses.
     * @param prefix the start of the name
     * @return the name
     */
    protected String uniqueTopic(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @BeforeAll
    void start() {
        this.database = createDatabase();
        this.transport = transport();
        this.topic = uniqueTopic("kit");
        this.transport.createTopic(this.topic);
        this.publisher = KitApplications.publisher(this.database, this.transport, this.topic, true);
        this.consumer = startConsumer();
    }

    private ConfigurableApplicationContext startConsumer() {
        return KitApplications.consumer(this.database, this.transport, this.topic, GROUP, 2,
                "--eventbus.consumer.retry.non-retryable=" + DuplicateKeyException.class.getName(),
                "--eventbus.consumer.groups." + GROUP + ".handler-timeout=1s",
                "--eventbus.consumer.shutdown-timeout=2s",
                "--management.endpoints.web.exposure.include=eventbus");
    }

    @AfterAll
    void stop() {
        closeApplications();
        if (this.database != null) {
            this.database.close();
        }
    }

    private void closeApplications() {
        for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { this.consumer,
                this.publisher }) {
            if (context != null && context.isActive()) {
                context.close();
            }
        }
    }

    @Test
    @Order(1)
    void publishedEventReachesTheBrokerAsCloudEventAndIsHandledOnceWithItsMetadata() {
        UUID eventId = orders().place(new OrderPlaced("order-1", 1));

        KitMessage message = awaitMessage(eventId);
        OrderHandlers.Handled handled = awaitHandled(eventId);

        assertThat(message.key()).isEqualTo("order-1");
        assertThat(new String(message.body(), StandardCharsets.UTF_8))
            .isEqualTo("{\"orderId\":\"order-1\",\"sequence\":1,\"note\":\"\"}");
        assertThat(message.attributes()).containsEntry("specversion", "1.0")
            .containsEntry("type", "test.order-placed")
            .containsEntry("eventversion", "2")
            .containsEntry("source", "order-service")
            .containsEntry("datacontenttype", "application/json");
        assertThat(Instant.parse(message.attributes().get("time"))).isBefore(Instant.now().plusSeconds(1));
        EventMetadata metadata = handled.metadata();
        assertThat(handled.event()).isEqualTo(new OrderPlaced("order-1", 1));
        assertThat(metadata.type()).isEqualTo("test.order-placed");
        assertThat(metadata.version()).isEqualTo(2);
        assertThat(metadata.key()).isEqualTo("order-1");
        assertThat(metadata.source()).isEqualTo("order-service");
        assertThat(metadata.topic()).isEqualTo(this.topic);
        assertThat(metadata.attempt()).isEqualTo(1);
        assertThat(metadata.occurredAt()).isBefore(Instant.now());
        assertThat(handledRows(eventId)).isOne();
        assertThat(processedRows(eventId)).isOne();
    }

    @Test
    @Order(2)
    void rolledBackTransactionSendsNothing() {
        UUID rolledBack = assertThatExceptionOfType(OrderService.RolledBack.class)
            .isThrownBy(() -> orders().placeThenFail(new OrderPlaced("order-2", 1)))
            .actual()
            .eventId();
        UUID committed = orders().place(new OrderPlaced("order-2", 2));

        List<KitMessage> messages = this.transport.awaitMessages(this.topic,
                (read) -> ids(read).contains(committed.toString()), TIMEOUT);
        awaitHandled(committed);

        assertThat(ids(messages)).doesNotContain(rolledBack.toString());
        assertThat(handlers().handled()).noneMatch((handled) -> handled.metadata().id().equals(rolledBack));
    }

    @Test
    @Order(3)
    void perKeyOrderHoldsWithSeveralRelayInstances() {
        int events = 1_000;
        int keys = 20;
        String orderedTopic = uniqueTopic("kit-ordered");
        this.transport.createTopic(orderedTopic);
        List<ConfigurableApplicationContext> contexts = new ArrayList<>();
        try {
            ConfigurableApplicationContext orderedPublisher = KitApplications.publisher(this.database, this.transport,
                    orderedTopic, false);
            contexts.add(orderedPublisher);
            for (int i = 0; i < 3; i++) {
                contexts.add(KitApplications.publisher(this.database, this.transport, orderedTopic, true));
            }
            ConfigurableApplicationContext orderedConsumer = KitApplications.consumer(this.database, this.transport,
                    orderedTopic, "kit-ordered", 3);
            contexts.add(orderedConsumer);
            OrderService orderService = orderedPublisher.getBean(OrderService.class);
            for (int start = 0; start < events; start += 50) {
                List<OrderPlaced> batch = new ArrayList<>();
                for (int sequence = start; sequence < start + 50; sequence++) {
                    batch.add(new OrderPlaced("ordered-" + (sequence % keys), sequence));
                }
                orderService.placeAll(batch);
            }
            OrderHandlers orderedHandlers = orderedConsumer.getBean(OrderHandlers.class);

            await().atMost(TIMEOUT).until(() -> orderedHandlers.handled().size() >= events);

            Map<String, List<Integer>> sequencesByKey = new LinkedHashMap<>();
            orderedHandlers.handled()
                .forEach((handled) -> sequencesByKey.computeIfAbsent(handled.event().orderId(), (key) -> new ArrayList<>())
                    .add(handled.event().sequence()));
            assertThat(sequencesByKey).hasSize(keys);
            sequencesByKey.forEach((key, sequences) -> assertThat(sequences).as(key)
                .isSorted()
                .doesNotHaveDuplicates()
                .hasSize(events / keys));
        }
        finally {
            contexts.forEach(ConfigurableApplicationContext::close);
        }
    }

    @Test
    @Order(4)
    void messageDeliveredFourTimesIsHandledOnce() {
        String id = UUID.randomUUID().toString();
        byte[] body = "{\"orderId\":\"order-4\",\"sequence\":1,\"note\":\"\"}".getBytes(StandardCharsets.UTF_8);
        double duplicatesBefore = count("duplicate");
        for (int i = 0; i < 4; i++) {
            this.transport.send(this.topic, "order-4", body, attributes(id, "test.order-placed", "2"));
        }

        await().atMost(TIMEOUT).until(() -> count("duplicate") - duplicatesBefore == 3);

        UUID eventId = UUID.fromString(id);
        assertThat(handlers().handled()).filteredOn((handled) -> handled.metadata().id().equals(eventId)).hasSize(1);
        assertThat(handledRows(eventId)).isOne();
        assertThat(processedRows(eventId)).isOne();
    }

    @Test
    @Order(5)
    void failingHandlerIsRetriedThenDeadLetteredWithItsCauseAndLaterEventsAreHandled() {
        UUID failing = orders().place(new OrderPlaced("order-5", 1, "fail"));
        UUID next = orders().place(new OrderPlaced("order-5", 2));

        awaitHandled(next);
        KitMessage deadLetter = awaitDeadLetter(failing);

        assertThat(handlers().handled()).filteredOn((handled) -> handled.metadata().id().equals(failing))
            .extracting((handled) -> handled.metadata().attempt())
            .containsExactly(1, 2, 3);
        assertThat(handledRows(failing)).isZero();
        assertThat(processedRows(failing)).isZero();
        assertThat(deadLetter.key()).isEqualTo("order-5");
        assertThat(new String(deadLetter.body(), StandardCharsets.UTF_8)).contains("\"note\":\"fail\"");
        assertThat(deadLetter.attributes()).containsEntry("type", "test.order-placed");
        assertThat(deadLetter.causeClass()).isEqualTo(IllegalStateException.class.getName());
        assertThat(deadLetter.causeMessage()).isEqualTo("cannot handle order-5");
        assertThat(deadLetter.attempts()).isEqualTo(3);
        assertThat(count("dead-lettered")).isGreaterThanOrEqualTo(1);
        assertThat(count("retried")).isGreaterThanOrEqualTo(2);
    }

    @Test
    @Order(17)
    void errorThrownByAHandlerIsRetriedThenDeadLetteredAndConsumingGoesOn() {
        Map<String, String> errors = Map.of("stack-overflow", "java\\.lang\\.StackOverflowError",
                "assertion-error", "java\\.lang\\.AssertionError: order order-17-assertion-error broke an invariant",
                "linkage-error", "java\\.lang\\.NoClassDefFoundError: com/example/RemovedInTheLastDeployment",
                "initializer-error", "java\\.lang\\.(ExceptionInInitializerError|NoClassDefFoundError: Could not initialize).*");
        Map<String, UUID> failing = new LinkedHashMap<>();
        errors.keySet().forEach((note) -> failing.put(note, orders().place(new OrderPlaced("order-17-" + note, 1, note))));
        UUID next = orders().place(new OrderPlaced("order-17-stack-overflow", 2));

        awaitHandled(next);
        for (Map.Entry<String, UUID> error : failing.entrySet()) {
            KitMessage deadLetter = awaitDeadLetter(error.getValue());
            assertThat(deadLetter.causeClass()).as(error.getKey()).isEqualTo(HandlerErrorException.class.getName());
            assertThat(deadLetter.causeMessage()).as(error.getKey()).matches(errors.get(error.getKey()));
            assertThat(deadLetter.attempts()).as(error.getKey()).isEqualTo(3);
            assertThat(invocations(error.getValue())).as(error.getKey()).containsExactly(1, 2, 3);
            assertThat(handledRows(error.getValue())).as(error.getKey()).isZero();
        }
        UUID after = orders().place(new OrderPlaced("order-17-after", 1));
        awaitHandled(after);
        assertThat(this.consumer.getBean(EventConsumers.class).stoppedUnexpectedly()).isEmpty();
    }

    @Test
    @Order(6)
    void failureThatSurfacesOnlyAtCommitIsAttributedToItsOwnEventAndNoOtherIsDeadLettered() {
        List<OrderPlaced> batch = new ArrayList<>();
        for (int sequence = 1; sequence <= 20; sequence++) {
            batch.add(new OrderPlaced("order-6", sequence, (sequence == 10) ? "fail-at-commit" : ""));
        }
        List<UUID> ids = orders().placeAll(batch);

        awaitHandled(ids.get(19));
        KitMessage deadLetter = awaitDeadLetter(ids.get(9));

        assertThat(deadLetter.causeClass()).isEqualTo(DuplicateKeyException.class.getName());
        assertThat(deadLetter.attempts()).isOne();
        for (int i = 0; i < ids.size(); i++) {
            UUID id = ids.get(i);
            assertThat(handledRows(id)).as("effects of event %d", i).isEqualTo((i == 9) ? 0 : 1);
            assertThat(handlers().handled()).as("invocations of event %d", i)
                .filteredOn((handled) -> handled.metadata().id().equals(id))
                .hasSizeBetween(1, 2);
        }
        assertThat(this.transport.awaitDeadLetters(this.topic, (read) -> ids(read).contains(ids.get(9).toString()),
                TIMEOUT))
            .filteredOn((message) -> "order-6".equals(message.key()))
            .extracting(KitMessage::id)
            .containsExactly(ids.get(9).toString());
    }

    @Test
    @Order(7)
    void malformedMessagesAreDeadLetteredAtOnceAndLaterEventsAreHandled() {
        String invalidJson = UUID.randomUUID().toString();
        this.transport.send(this.topic, "order-7", "{not json".getBytes(StandardCharsets.UTF_8),
                attributes(invalidJson, "test.order-placed", "2"));
        this.transport.send(this.topic, "order-7", "{\"orderId\":\"order-7\"}".getBytes(StandardCharsets.UTF_8),
                Map.of());
        UUID next = orders().place(new OrderPlaced("order-7", 3));

        awaitHandled(next);

        List<KitMessage> deadLetters = this.transport.awaitDeadLetters(this.topic,
                (read) -> read.stream().filter((message) -> "order-7".equals(message.key())).count() == 2, TIMEOUT);
        assertThat(deadLetters).filteredOn((message) -> "order-7".equals(message.key()))
            .extracting(KitMessage::causeMessage)
            .anyMatch((message) -> message.contains("is not valid JSON for OrderPlaced"))
            .anyMatch((message) -> message.contains("lacks the CloudEvents attribute specversion"));
        assertThat(deadLetters).filteredOn((message) -> "order-7".equals(message.key()))
            .extracting(KitMessage::attempts)
            .containsOnly(1);
    }

    @Test
    @Order(8)
    void versionNoHandlerAcceptsIsDeadLetteredAndATypeNoHandlerKnowsIsIgnored() {
        String version3 = UUID.randomUUID().toString();
        double ignoredBefore = count("ignored");
        this.transport.send(this.topic, "order-8",
                "{\"orderId\":\"order-8\",\"sequence\":1,\"note\":\"\"}".getBytes(StandardCharsets.UTF_8),
                attributes(version3, "test.order-placed", "3"));
        this.transport.send(this.topic, "order-8", "{}".getBytes(StandardCharsets.UTF_8),
                attributes(UUID.randomUUID().toString(), "test.something-else", "1"));

        KitMessage deadLetter = awaitDeadLetter(UUID.fromString(version3));

        assertThat(deadLetter.causeClass()).isEqualTo(UnsupportedEventVersionException.class.getName());
        assertThat(deadLetter.causeMessage()).contains("has version 3", "group " + GROUP, "[2]");
        await().atMost(TIMEOUT).until(() -> count("ignored") - ignoredBefore == 1);
        assertThat(this.consumer.getBean(MeterRegistry.class)
            .find("eventbus.consumer.events")
            .tag("type", "test.something-else")
            .counters()).as("meters named after a foreign type").isEmpty();
    }

    @Test
    @Order(9)
    void structuredModeCloudEventOfAnotherProducerIsHandled() {
        String id = "external-" + UUID.randomUUID();
        String envelope = "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"https://example.com/shop\","
                + "\"type\":\"test.order-placed\",\"eventversion\":2,\"time\":\"2026-11-22T11:30:00+01:30\","
                + "\"partitionkey\":\"order-9\",\"datacontenttype\":\"application/json\","
                + "\"data\":{\"orderId\":\"order-9\",\"sequence\":9,\"note\":\"\"}}";
        UUID eventId = CloudEventDecoder.eventId(id, "https://example.com/shop");

        this.transport.sendStructured(this.topic, "order-9", envelope.getBytes(StandardCharsets.UTF_8));

        OrderHandlers.Handled handled = awaitHandled(eventId);
        assertThat(handled.event()).isEqualTo(new OrderPlaced("order-9", 9));
        assertThat(handled.metadata().source()).isEqualTo("https://example.com/shop");
        assertThat(handled.metadata().occurredAt()).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
        assertThat(handled.metadata().version()).isEqualTo(2);
        assertThat(handled.metadata().key()).isEqualTo("order-9");
    }

    @Test
    @Order(18)
    void structuredModeVersionOrTimeOfTheWrongKindIsDeadLetteredNeverReadAsADefault() {
        Map<String, String> attributes = Map.of("\"eventversion\":3", "has version 3", "\"eventversion\":\"two\"",
                "Event version 'two' is not a whole number", "\"time\":1764064800",
                "time must be a JSON string, not 1764064800", "\"eventversion\":2.0",
                "eventversion must be an integer or a string, not 2.0");
        Map<String, String> causes = new HashMap<>();
        attributes.forEach((attribute, cause) -> {
            String id = UUID.randomUUID().toString();
            causes.put(id, cause);
            this.transport.sendStructured(this.topic, "order-18", ("{\"specversion\":\"1.0\",\"id\":\"" + id
                    + "\",\"source\":\"go-service\",\"type\":\"test.order-placed\"," + attribute
                    + ",\"partitionkey\":\"order-18\",\"data\":{\"orderId\":\"order-18\",\"sequence\":1,\"note\":\"\"}}")
                .getBytes(StandardCharsets.UTF_8));
        });

        causes.forEach((id, cause) -> assertThat(awaitDeadLetter(UUID.fromString(id)).causeMessage()).as(cause)
            .contains(cause));
        assertThat(handlers().handled())
            .noneMatch((handled) -> causes.containsKey(handled.metadata().id().toString()));
    }

    @Test
    @Order(10)
    void replayedDeadLetterKeepsItsIdIsHandledOnceAndReplayingAgainChangesNothing() {
        UUID poison = orders().place(new OrderPlaced("order-10", 1, "fail-until-fixed"));
        awaitDeadLetter(poison);
        handlers().fix();
        EventbusEndpoint endpoint = this.consumer.getBean(EventbusEndpoint.class);

        assertThat(endpoint.replay(this.topic, null, List.of(poison.toString()), null, null).replayed()).isOne();

        await().atMost(TIMEOUT).until(() -> handledRows(poison) == 1);
        double duplicatesBefore = count("duplicate");
        int replayedAgain = endpoint.replay(this.topic, null, List.of(poison.toString()), null, null).replayed();
        if (this.transport.replayRemovesDeadLetters()) {
            assertThat(replayedAgain).isZero();
            assertThat(ids(this.transport.awaitDeadLetters(this.topic, (read) -> true, TIMEOUT)))
                .doesNotContain(poison.toString());
        }
        else {
            assertThat(replayedAgain).isOne();
            await().atMost(TIMEOUT).until(() -> count("duplicate") == duplicatesBefore + 1);
        }
        assertThat(handledRows(poison)).isOne();
        assertThat(processedRows(poison)).isOne();
    }

    @Test
    @Order(11)
    void eventFailingAmidItsBatchIsDeadLetteredAndEveryOtherIsHandledExactlyOnce() {
        List<OrderPlaced> batch = new ArrayList<>();
        for (int sequence = 101; sequence <= 120; sequence++) {
            batch.add(new OrderPlaced("order-11", sequence, (sequence == 110) ? "fail" : ""));
        }
        List<UUID> ids = orders().placeAll(batch);

        awaitHandled(ids.get(19));

        for (int i = 0; i < ids.size(); i++) {
            assertThat(handledRows(ids.get(i))).as("effects of event %d", i).isEqualTo((i == 9) ? 0 : 1);
            assertThat(processedRows(ids.get(i))).as("processed rows of event %d", i).isEqualTo((i == 9) ? 0 : 1);
        }
        assertThat(handlers().handled()).filteredOn((handled) -> handled.metadata().id().equals(ids.get(9)))
            .extracting((handled) -> handled.metadata().attempt())
            .containsExactly(1, 2, 3);
        assertThat(awaitDeadLetter(ids.get(9)).attempts()).isEqualTo(3);
    }

    @Test
    @Order(12)
    void eventIsDeliveredAgainNotDeadLetteredWhileTheDatabaseIsUnreachable() {
        double deadLetteredBefore = count("dead-lettered");

        UUID eventId = orders().place(new OrderPlaced("order-12", 1, "database-down-4-times"));

        awaitHandled(eventId);
        assertThat(handledRows(eventId)).isOne();
        assertThat(count("dead-lettered")).isEqualTo(deadLetteredBefore);
    }

    @Test
    @Order(13)
    void retentionDeletesProcessedIdsOnceTheyExpire() {
        UUID eventId = orders().place(new OrderPlaced("order-13", 1));
        awaitHandled(eventId);
        jdbc().update("UPDATE eventbus_processed_event SET processed_at = ? WHERE consumer_group = ?",
                Timestamp.from(Instant.now().minus(Duration.ofDays(31))), GROUP);

        int deleted = this.consumer.getBean(ProcessedEventRetention.class).deleteExpired();

        assertThat(deleted).isPositive();
        assertThat(processedRows(eventId)).isZero();
    }

    @Test
    @Order(14)
    void handlerThatHangsIsFailedAfterItsGroupsTimeoutThenDeadLetteredAndLaterEventsAreHandled() {
        UUID hanging = orders().place(new OrderPlaced("order-14", 1, "hang"));
        UUID next = orders().place(new OrderPlaced("order-14", 2));

        awaitHandled(next);
        KitMessage deadLetter = awaitDeadLetter(hanging);

        assertThat(deadLetter.causeClass()).isEqualTo(HandlerTimeoutException.class.getName());
        assertThat(deadLetter.causeMessage()).contains("PT1S");
        assertThat(deadLetter.attempts()).isEqualTo(3);
        assertThat(invocations(hanging)).as("every invocation counts as an attempt").containsExactly(1, 2, 3);
        assertThat(handledRows(hanging)).isZero();
        assertThat(processedRows(hanging)).isZero();
    }

    @Test
    @Order(15)
    void consumerClosedAndStartedAgainMidStreamLosesNothingAndHandlesNothingTwice() {
        List<UUID> ids = new ArrayList<>();
        for (int start = 0; start < 100; start += 10) {
            List<OrderPlaced> batch = new ArrayList<>();
            for (int sequence = start; sequence < start + 10; sequence++) {
                batch.add(new OrderPlaced("order-15-" + (sequence % 4), sequence));
            }
            ids.addAll(orders().placeAll(batch));
        }
        await().atMost(TIMEOUT).until(() -> handledRows(ids) >= 20);

        this.consumer.close();
        for (int sequence = 100; sequence < 150; sequence++) {
            ids.add(orders().place(new OrderPlaced("order-15-" + (sequence % 4), sequence)));
        }
        this.transport.awaitMessages(this.topic, (read) -> ids(read).contains(ids.get(ids.size() - 1).toString()),
                TIMEOUT);
        this.consumer = startConsumer();

        await().atMost(TIMEOUT).until(() -> handledRows(ids) == ids.size());
        for (UUID id : ids) {
            assertThat(handledRows(id)).as("effects of %s", id).isOne();
        }
    }

    @Test
    @Order(16)
    void handlerRunsInTheTraceOfThePublisher() {
        Tracer tracer = this.publisher.getBean(Tracer.class);
        Span request = tracer.nextSpan().name("POST /orders").start();
        UUID eventId;
        try (Tracer.SpanInScope scope = tracer.withSpan(request)) {
            eventId = orders().place(new OrderPlaced("order-16", 1));
        }
        finally {
            request.end();
        }

        OrderHandlers.Handled handled = awaitHandled(eventId);

        assertThat(handled.traceId()).isNotEmpty().isEqualTo(request.context().traceId());
        assertThat(handled.metadata().headers()).containsKey("traceparent");
    }

    @Test
    @Order(19)
    void keysAndCausesOutsideAsciiTravelIntactAndFailuresOfThemAreDeadLettered() {
        String key = "Müller-東京-🚀 100%";
        UUID handled = orders().place(new OrderPlaced(key, 1));
        UUID failing = orders().place(new OrderPlaced(key, 2, "fail"));

        assertThat(awaitHandled(handled).metadata().key()).isEqualTo(key);
        KitMessage deadLetter = awaitDeadLetter(failing);
        assertThat(deadLetter.key()).isEqualTo(key);
        assertThat(deadLetter.causeMessage()).isEqualTo("cannot handle " + key);
    }

    @Test
    @Order(21)
    void replayedDeadLetterReachesOnlyTheGroupThatDeadLetteredItHoweverOldItIs() {
        ConfigurableApplicationContext other = KitApplications.consumer(this.database, this.transport, this.topic,
                "kit-other", 1);
        try {
            OrderHandlers otherHandlers = other.getBean(OrderHandlers.class);
            otherHandlers.fix();
            UUID poison = orders().place(new OrderPlaced("order-21", 1, "fail-until-fixed"));
            awaitDeadLetter(poison);
            await().atMost(TIMEOUT).until(() -> handledBy(otherHandlers, poison) == 1);
            jdbc().update("UPDATE eventbus_processed_event SET processed_at = ? WHERE consumer_group = ?",
                    Timestamp.from(Instant.now().minus(Duration.ofDays(31))), "kit-other");
            assertThat(other.getBean(ProcessedEventRetention.class).deleteExpired()).isPositive();
            handlers().fix();
            EventbusEndpoint endpoint = this.consumer.getBean(EventbusEndpoint.class);

            assertThat(endpoint.replay(this.topic, "kit-other", List.of(poison.toString()), null, null).replayed())
                .isZero();
            assertThat(endpoint.replay(this.topic, GROUP, List.of(poison.toString()), null, null).replayed()).isOne();

            await().atMost(TIMEOUT).until(() -> processedRows(poison) == 1);
            UUID after = orders().place(new OrderPlaced("order-21", 2));
            await().atMost(TIMEOUT).until(() -> handledBy(otherHandlers, after) == 1);
            assertThat(handledBy(otherHandlers, poison)).as("handlings in the group that had handled it").isOne();
        }
        finally {
            other.close();
        }
    }

    @Test
    @Order(22)
    void stoppingAConsumerWhoseHandlerIgnoresInterruptsIsBoundedAndTheEventIsHandledAfterARestart() {
        UUID spinning = orders().place(new OrderPlaced("order-22", 1, "spin-once"));
        await().atMost(TIMEOUT).until(() -> invocations(spinning).size() == 1);
        ConfigurableApplicationContext stopping = this.consumer;
        Thread closing = new Thread(stopping::close, "kit-closing-consumer");

        closing.start();

        await().atMost(Duration.ofSeconds(6)).until(() -> !closing.isAlive());
        this.consumer = startConsumer();
        await().atMost(TIMEOUT).until(() -> handledRows(spinning) > 0);
        assertThat(handledRows(spinning)).isOne();
        assertThat(processedRows(spinning)).isOne();
    }

    private static long handledBy(OrderHandlers handlers, UUID eventId) {
        return handlers.handled().stream().filter((handled) -> handled.metadata().id().equals(eventId)).count();
    }

    @Test
    @Order(30)
    void closingTheApplicationsLeavesNoEventbusThread() {
        assertThat(eventbusThreads()).isNotEmpty();

        closeApplications();

        await().atMost(TIMEOUT).until(() -> eventbusThreads().isEmpty());
    }

    private static List<String> eventbusThreads() {
        return Thread.getAllStackTraces()
            .keySet()
            .stream()
            .filter(Thread::isAlive)
            .map(Thread::getName)
            .filter((name) -> name.startsWith("eventbus-"))
            .toList();
    }

    private KitMessage awaitMessage(UUID eventId) {
        return this.transport
            .awaitMessages(this.topic, (read) -> ids(read).contains(eventId.toString()), TIMEOUT)
            .stream()
            .filter((message) -> eventId.toString().equals(message.id()))
            .findFirst()
            .orElseThrow();
    }

    private KitMessage awaitDeadLetter(UUID eventId) {
        return this.transport
            .awaitDeadLetters(this.topic, (read) -> ids(read).contains(eventId.toString()), TIMEOUT)
            .stream()
            .filter((message) -> eventId.toString().equals(message.id()))
            .findFirst()
            .orElseThrow();
    }

    private OrderHandlers.Handled awaitHandled(UUID eventId) {
        await().atMost(TIMEOUT).until(() -> handledRows(eventId) > 0);
        return handlers().handled()
            .stream()
            .filter((handled) -> handled.metadata().id().equals(eventId))
            .reduce((first, second) -> second)
            .orElseThrow();
    }

    private List<Integer> invocations(UUID eventId) {
        return handlers().handled()
            .stream()
            .filter((handled) -> handled.metadata().id().equals(eventId))
            .map((handled) -> handled.metadata().attempt())
            .toList();
    }

    private static List<String> ids(List<KitMessage> messages) {
        return messages.stream().map(KitMessage::id).toList();
    }

    private static Map<String, String> attributes(String id, String type, String version) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put("specversion", "1.0");
        attributes.put("id", id);
        attributes.put("source", "kit-producer");
        attributes.put("type", type);
        attributes.put("eventversion", version);
        attributes.put("datacontenttype", "application/json");
        return attributes;
    }

    private double count(String outcome) {
        return this.consumer.getBean(MeterRegistry.class)
            .find("eventbus.consumer.events")
            .tag("outcome", outcome)
            .counters()
            .stream()
            .mapToDouble(Counter::count)
            .sum();
    }

    private OrderService orders() {
        return this.publisher.getBean(OrderService.class);
    }

    private OrderHandlers handlers() {
        return this.consumer.getBean(OrderHandlers.class);
    }

    private int handledRows(UUID eventId) {
        return jdbc().queryForObject("SELECT COUNT(*) FROM handled_order WHERE event_id = ?", Integer.class,
                eventId.toString());
    }

    private int handledRows(List<UUID> eventIds) {
        return jdbc().queryForObject("SELECT COUNT(DISTINCT event_id) FROM handled_order WHERE event_id IN ("
                + String.join(", ", eventIds.stream().map((id) -> "'" + id + "'").toList()) + ")", Integer.class);
    }

    private int processedRows(UUID eventId) {
        return jdbc().queryForObject(
                "SELECT COUNT(*) FROM eventbus_processed_event WHERE consumer_group = ? AND CAST(event_id AS CHAR(36)) = ?",
                Integer.class, GROUP, eventId.toString());
    }

    private JdbcTemplate jdbc() {
        return this.publisher.getBean(JdbcTemplate.class);
    }

}
