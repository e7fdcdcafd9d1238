package dev.eventbus.local;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.eventbus.actuate.EventbusEndpoint;
import dev.eventbus.consumertest.OrderHandlers;
import dev.eventbus.kit.KitApplications;
import dev.eventbus.outbox.OutboxLanes;
import dev.eventbus.schema.Database;
import dev.eventbus.schema.EventbusTables;
import dev.eventbus.testapp.OrderPlaced;
import dev.eventbus.testapp.OrderService;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;
import dev.eventbus.transport.BatchOutcome;
import dev.eventbus.transport.ConsumerEndpoint;
import dev.eventbus.transport.ConsumerTransport;
import dev.eventbus.transport.DeadLetterBrowser;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the {@code local} transport does beyond the kit, on PostgreSQL: several instances of a
 * group, dead letters in the endpoint, lag, and the log's retention.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalTransportIntegrationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private TestDatabase database;

    private LocalKitTransport transport;

    private JdbcTemplate jdbc;

    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    @BeforeAll
    void start() {
        this.database = TestDatabases.embeddedPostgres();
        this.transport = new LocalKitTransport(this.database);
    }

    @AfterAll
    void stop() {
        this.contexts.forEach(ConfigurableApplicationContext::close);
        this.transport.close();
        this.database.close();
    }

    private ConfigurableApplicationContext publisher(String topic) {
        ConfigurableApplicationContext publisher = KitApplications.publisher(this.database, this.transport, topic, true);
        this.contexts.add(publisher);
        this.jdbc = publisher.getBean(JdbcTemplate.class);
        return publisher;
    }

    private ConfigurableApplicationContext consumer(String topic, String group) {
        ConfigurableApplicationContext consumer = KitApplications.consumer(this.database, this.transport, topic, group, 2,
                "--management.endpoints.web.exposure.include=eventbus");
        this.contexts.add(consumer);
        return consumer;
    }

    @Test
    void twoInstancesOfAGroupNeverHandleAnEventTwiceAndOneTakesOverTheOthersPartitionsWhenItStops() {
        String topic = "local-pair-" + UUID.randomUUID().toString().substring(0, 8);
        OrderService orders = publisher(topic).getBean(OrderService.class);
        ConfigurableApplicationContext first = consumer(topic, "pair");
        ConfigurableApplicationContext second = consumer(topic, "pair");
        List<UUID> ids = new ArrayList<>(place(orders, 0, 200));
        await().atMost(TIMEOUT).until(() -> handledRows(ids) == ids.size());
        List<OrderHandlers.Handled> handledByFirst = first.getBean(OrderHandlers.class).handled();
        OrderHandlers secondHandlers = second.getBean(OrderHandlers.class);
        int handledBySecondBefore = secondHandlers.handled().size();

        first.close();
        ids.addAll(place(orders, 200, 400));

        await().atMost(TIMEOUT).until(() -> handledRows(ids) == ids.size());
        for (UUID id : ids) {
            assertThat(rows(id)).as("effects of %s", id).isOne();
        }
        assertThat(handledByFirst.size() + secondHandlers.handled().size()).isEqualTo(ids.size());
        assertThat(secondHandlers.handled().size() - handledBySecondBefore).isEqualTo(200);
        assertSortedByKey(handledByFirst);
        assertSortedByKey(secondHandlers.handled());
    }

    @Test
    void leasesAreTimedByTheDatabasesClockSoAnInstanceWhoseClockRunsAheadTakesNoPartitionFromALiveOne() {
        String topic = "local-skew-" + UUID.randomUUID().toString().substring(0, 8);
        publisher(topic);
        ConfigurableApplicationContext live = consumer(topic, "skew");
        await().atMost(TIMEOUT).until(() -> owners(topic, "skew").size() == OutboxLanes.COUNT);
        String liveOwner = owners(topic, "skew").get(0);
        LocalConsumerTransport ahead = new LocalConsumerTransport(live.getBean(LocalLog.class),
                live.getBean(LocalCursors.class), new LocalSignals(), 100, Duration.ofMillis(50), Duration.ofSeconds(5),
                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(1)));

        ConsumerTransport.Subscription subscription = ahead.subscribe(new ConsumerEndpoint("skew", topic, 1),
                (messages) -> BatchOutcome.completed(messages.size()));
        try {
            await().during(Duration.ofSeconds(2))
                .atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(new HashSet<>(owners(topic, "skew").values())).containsOnly(liveOwner));
        }
        finally {
            subscription.stop();
        }
    }

    private Map<Integer, String> owners(String topic, String group) {
        Map<Integer, String> owners = new TreeMap<>();
        this.jdbc.query("SELECT partition_no, owner_id FROM eventbus_local_cursor WHERE topic = ? AND consumer_group = ?"
                + " AND owner_id IS NOT NULL", (rs) -> {
                    owners.put(rs.getInt(1), rs.getString(2));
                }, topic, group);
        return owners;
    }

    @Test
    void endpointListsTheDeadLettersAndTheLagGaugeCountsUnreadMessages() {
        String topic = "local-dead-" + UUID.randomUUID().toString().substring(0, 8);
        OrderService orders = publisher(topic).getBean(OrderService.class);
        ConfigurableApplicationContext consumer = consumer(topic, "dead");
        UUID failing = orders.place(new OrderPlaced("dead-1", 1, "fail"));
        UUID next = orders.place(new OrderPlaced("dead-1", 2));
        await().atMost(TIMEOUT).until(() -> rows(next) == 1);

        EventbusEndpoint.DeadLettersDescriptor deadLetters = await().atMost(TIMEOUT)
            .until(() -> consumer.getBean(EventbusEndpoint.class).status().deadLetters(),
                    (listed) -> listed != null && listed.count() > 0);

        DeadLetterBrowser.DeadLetter deadLetter = deadLetters.oldest()
            .stream()
            .filter((listed) -> failing.toString().equals(listed.eventId()))
            .findFirst()
            .orElseThrow();
        assertThat(deadLetter.group()).isEqualTo("dead");
        assertThat(deadLetter.topic()).isEqualTo(topic);
        assertThat(deadLetter.type()).isEqualTo("test.order-placed");
        assertThat(deadLetter.key()).isEqualTo("dead-1");
        assertThat(deadLetter.attempts()).isEqualTo(3);
        assertThat(deadLetter.cause()).isEqualTo(IllegalStateException.class.getName() + ": cannot handle dead-1");
        await().atMost(TIMEOUT).until(() -> lag(consumer, "dead", topic) == 0.0);

        LocalCursors cursors = new LocalCursors(this.jdbc, Database.POSTGRESQL, EventbusTables.DEFAULT);
        cursors.create("idle", topic, List.of(0, 1, 2, 3, 4, 5, 6, 7));
        assertThat(cursors.lag("idle", topic)).hasValue(messagesIn(topic, "partition_no < 8"));
        assertThat(cursors.lag("unknown", topic)).isEmpty();
    }

    @Test
    void retentionDeletesOnlyMessagesEveryGroupHasRead() {
        String topic = "local-retained-" + UUID.randomUUID().toString().substring(0, 8);
        OrderService orders = publisher(topic).getBean(OrderService.class);
        consumer(topic, "reader");
        List<UUID> ids = place(orders, 0, 100);
        await().atMost(TIMEOUT).until(() -> handledRows(ids) == ids.size());
        this.jdbc.update("INSERT INTO eventbus_local_cursor (consumer_group, topic, partition_no, sequence_no)"
                + " SELECT 'behind', topic, partition_no, 0 FROM eventbus_local_partition WHERE topic = ?"
                + " ORDER BY partition_no LIMIT 1", topic);
        long unreadByBehind = this.jdbc.queryForObject("SELECT COUNT(*) FROM eventbus_local_message m JOIN"
                + " eventbus_local_cursor c ON c.topic = m.topic AND c.partition_no = m.partition_no"
                + " WHERE c.consumer_group = 'behind' AND m.topic = ?", Long.class, topic);
        LocalLog log = new LocalLog(this.jdbc, TransactionOperations.withoutTransaction(), Database.POSTGRESQL, EventbusTables.DEFAULT);

        int keptByAge = log.deleteReadBefore(Instant.now().minus(Duration.ofDays(1)), 1000);
        int deleted = log.deleteReadBefore(Instant.now().plusSeconds(1), 1000);

        assertThat(keptByAge).isZero();
        assertThat(unreadByBehind).isPositive();
        assertThat(deleted).isGreaterThanOrEqualTo((int) (100 - unreadByBehind));
        assertThat(messagesIn(topic, "1 = 1")).isEqualTo(unreadByBehind);
    }

    private static List<UUID> place(OrderService orders, int from, int to) {
        List<UUID> ids = new ArrayList<>();
        for (int start = from; start < to; start += 20) {
            List<OrderPlaced> batch = new ArrayList<>();
            for (int sequence = start; sequence < start + 20; sequence++) {
                batch.add(new OrderPlaced("key-" + (sequence % 16), sequence));
            }
            ids.addAll(orders.placeAll(batch));
        }
        return ids;
    }

    private static void assertSortedByKey(List<OrderHandlers.Handled> handled) {
        Map<String, List<Integer>> sequencesByKey = new LinkedHashMap<>();
        handled.forEach((event) -> sequencesByKey.computeIfAbsent(event.event().orderId(), (key) -> new ArrayList<>())
            .add(event.event().sequence()));
        sequencesByKey.forEach((key, sequences) -> assertThat(sequences).as(key).isSorted().doesNotHaveDuplicates());
    }

    private int handledRows(List<UUID> ids) {
        return this.jdbc.queryForObject("SELECT COUNT(DISTINCT event_id) FROM handled_order WHERE event_id IN ("
                + String.join(", ", ids.stream().map((id) -> "'" + id + "'").toList()) + ")", Integer.class);
    }

    private int rows(UUID id) {
        return this.jdbc.queryForObject("SELECT COUNT(*) FROM handled_order WHERE event_id = ?", Integer.class,
                id.toString());
    }

    private long messagesIn(String topic, String condition) {
        return this.jdbc.queryForObject("SELECT COUNT(*) FROM eventbus_local_message WHERE topic = ? AND " + condition,
                Long.class, topic);
    }

    private static double lag(ConfigurableApplicationContext consumer, String group, String topic) {
        var gauge = consumer.getBean(MeterRegistry.class)
            .find("eventbus.consumer.lag")
            .tags("group", group, "topic", topic)
            .gauge();
        return (gauge != null) ? gauge.value() : Double.NaN;
    }

}
