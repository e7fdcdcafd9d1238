package dev.eventbus.nats;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.eventbus.consumer.EventConsumers;
import dev.eventbus.consumertest.OrderHandlers;
import dev.eventbus.kit.KitApplications;
import dev.eventbus.kit.ParkedFailures;
import dev.eventbus.outbox.ParkedOutboxEvents;
import dev.eventbus.testapp.OrderPlaced;
import dev.eventbus.testapp.OrderService;
import dev.eventbus.testapp.TestApplication;
import dev.eventbus.testsupport.NatsServerProcess;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.StreamConfiguration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What the NATS transport does beyond the kit, on the machine's NATS server and PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NatsTransportIntegrationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private TestDatabase database;

    private NatsKitTransport transport;

    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    @BeforeAll
    void start() {
        this.database = TestDatabases.embeddedPostgres();
        this.transport = new NatsKitTransport();
    }

    @AfterAll
    void stop() {
        this.contexts.forEach(ConfigurableApplicationContext::close);
        this.transport.close();
        this.database.close();
    }

    private String topic(String prefix) {
        String topic = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.transport.track(topic);
        return topic;
    }

    private ConfigurableApplicationContext publisher(String topic) {
        ConfigurableApplicationContext publisher = KitApplications.publisher(this.database, this.transport, topic, true);
        this.contexts.add(publisher);
        return publisher;
    }

    private ConfigurableApplicationContext consumer(String topic, String group, int concurrency) {
        ConfigurableApplicationContext consumer = KitApplications.consumer(this.database, this.transport, topic, group,
                concurrency);
        this.contexts.add(consumer);
        return consumer;
    }

    @Test
    void streamsKeepMessagesAsLongAsProcessedIdsAndTheOutboxOrTheirOwnMaxAgeAndTellTheirPartitionCount() throws Exception {
        String retained = topic("nats-retained");
        String aged = topic("nats-aged");
        this.contexts.add(KitApplications.consumer(this.database, this.transport, retained, "kit", 1,
                "--eventbus.consumer.processed.retention=40d"));
        this.contexts.add(KitApplications.consumer(this.database, this.transport, aged, "kit", 1,
                "--eventbus.nats.stream.max-age=2h"));

        try (Connection connection = Nats.connect("nats://127.0.0.1:4222")) {
            StreamConfiguration retainedStream = connection.jetStreamManagement()
                .getStreamInfo(NatsStreams.stream(retained))
                .getConfiguration();
            assertThat(retainedStream.getMaxAge()).isEqualTo(Duration.ofDays(40));
            assertThat(retainedStream.getDescription()).isEqualTo("eventbus topic " + retained + ", 16 partitions");
            assertThat(connection.jetStreamManagement().getStreamInfo(NatsStreams.stream(aged)).getConfiguration()
                .getMaxAge()).isEqualTo(Duration.ofHours(2));
            assertThat(connection.jetStreamManagement()
                .getStreamInfo(NatsStreams.deadLetterStream(aged))
                .getConfiguration()
                .getMaxAge()).as("dead letters are kept").isEqualTo(Duration.ZERO);
        }
    }

    @Test
    void eventLargerThanTheServersMaxPayloadIsParkedAndTheOthersOfItsKeyFlow() {
        String topic = topic("nats-large");
        ConfigurableApplicationContext consumer = consumer(topic, "kit", 1);
        ConfigurableApplicationContext publisher = contextOf(KitApplications.publisher(this.database,
                this.transport, topic, true, "--eventbus.outbox.max-payload-size=2MB"));
        OrderService orders = publisher.getBean(OrderService.class);
        UUID before = orders.place(new OrderPlaced("large-1", 1));
        UUID tooLarge = orders.place(new OrderPlaced("large-1", 2, "x".repeat(1_100_000)));
        UUID after = orders.place(new OrderPlaced("large-1", 3));
        ParkedOutboxEvents parked = publisher.getBean(ParkedOutboxEvents.class);

        await().atMost(TIMEOUT).until(() -> rows(consumer, after) == 1 && ParkedFailures.of(parked, tooLarge) != null);

        assertThat(rows(consumer, before)).isOne();
        assertThat(ParkedFailures.of(parked, tooLarge)).contains("max_payload");
    }

    @Test
    void eventsOfATopicWhoseStreamTheServerRefusesAreParkedWhileTheOthersFlowAndAreHandledOnceRetriedAfterAFix()
            throws Exception {
        String refusedTopic = topic("nats-refused");
        this.transport.addOverlappingStream(refusedTopic);

        Parked refused = parkedWhileTheOthersFlow(refusedTopic);

        assertThat(refused.failure()).contains("overlap");
        this.transport.deleteOverlappingStream(refusedTopic);
        ConfigurableApplicationContext refusedConsumer = consumer(refusedTopic, "kit", 1);
        assertThat(refused.events().retry(List.of(refused.eventId()))).isOne();
        await().atMost(TIMEOUT).until(() -> rows(refusedConsumer, refused.eventId()) == 1);
    }

    @Test
    void eventsOfATopicWhoseStreamExistsWithOtherSubjectsAreParkedWhileTheOthersFlow() throws Exception {
        String refusedTopic = topic("nats-elsewhere");
        this.transport.addStream(refusedTopic, refusedTopic + "-elsewhere");

        Parked refused = parkedWhileTheOthersFlow(refusedTopic);

        assertThat(refused.failure()).contains(StreamRefusedException.class.getName())
            .contains("does not take subject " + refusedTopic + ".");
    }

    @Test
    void streamOfTheTopicsNameWhoseWildcardTakesEveryPartitionIsUsedAsItIs() throws Exception {
        String topic = topic("nats-wider");
        this.transport.addStream(topic, topic + ".>");
        ConfigurableApplicationContext consumer = consumer(topic, "kit", 1);
        List<UUID> ids = place(publisher(topic).getBean(OrderService.class), 0, 20);

        await().atMost(TIMEOUT).until(() -> distinctRows(consumer, ids) == ids.size());
    }

    /**
     * Publishes an event to a topic whose stream cannot take it, from an application without a
     * relay, then one of the same key and one of another key to a topic that works, and waits
     * until the relay parked the first and the others were handled.
     */
    private Parked parkedWhileTheOthersFlow(String refusedTopic) {
        String topic = topic("nats-flowing");
        ConfigurableApplicationContext consumer = consumer(topic, "kit", 1);
        OrderService orders = publisher(topic).getBean(OrderService.class);
        ConfigurableApplicationContext refusedPublisher = contextOf(KitApplications.publisher(this.database,
                this.transport, refusedTopic, false));
        UUID refused = refusedPublisher.getBean(OrderService.class).place(new OrderPlaced(refusedTopic, 1));
        UUID sameKey = orders.place(new OrderPlaced(refusedTopic, 2));
        UUID otherKey = orders.place(new OrderPlaced(topic, 1));
        Parked parked = new Parked(refusedPublisher.getBean(ParkedOutboxEvents.class), refused);
        await().atMost(TIMEOUT)
            .until(() -> rows(consumer, sameKey) == 1 && rows(consumer, otherKey) == 1 && parked.failure() != null);
        return parked;
    }

    private record Parked(ParkedOutboxEvents events, UUID eventId) {

        @Nullable String failure() {
            return ParkedFailures.of(this.events, this.eventId);
        }

    }

    private ConfigurableApplicationContext contextOf(ConfigurableApplicationContext context) {
        this.contexts.add(context);
        return context;
    }

    @Test
    void eventsOfTopicsTheUserMayNotPublishToOrCreateTheStreamOfAreParkedWhileTheOthersFlowAndAreHandledAfterAGrant() {
        String relayDenies = "{ publish: { deny: [\"nats-denied.>\", \"$JS.API.STREAM.CREATE.nats-uncreated\"] } }";
        try (NatsServerProcess server = NatsServerProcess.start(usersWhoseRelay(relayDenies));
                NatsKitTransport privateTransport = new NatsKitTransport(server.url());
                TestDatabase ownDatabase = TestDatabases.embeddedPostgres();
                ConfigurableApplicationContext consumer = KitApplications.consumer(ownDatabase, privateTransport,
                        "nats-granted", "kit", 1);
                ConfigurableApplicationContext deniedConsumer = KitApplications.consumer(ownDatabase, privateTransport,
                        "nats-denied", "kit", 1);
                ConfigurableApplicationContext relay = KitApplications.publisher(ownDatabase, privateTransport,
                        "nats-granted", true, "--eventbus.nats.username=relay", "--eventbus.nats.password=relay");
                ConfigurableApplicationContext deniedPublisher = KitApplications.publisher(ownDatabase,
                        privateTransport, "nats-denied", false);
                ConfigurableApplicationContext uncreatedPublisher = KitApplications.publisher(ownDatabase,
                        privateTransport, "nats-uncreated", false)) {
            OrderService orders = relay.getBean(OrderService.class);
            UUID before = orders.place(new OrderPlaced("denied-1", 1));
            UUID denied = deniedPublisher.getBean(OrderService.class).place(new OrderPlaced("denied-1", 2));
            UUID uncreated = uncreatedPublisher.getBean(OrderService.class).place(new OrderPlaced("denied-1", 3));
            UUID sameKey = orders.place(new OrderPlaced("denied-1", 4));
            UUID otherKey = orders.place(new OrderPlaced("granted-1", 1));
            ParkedOutboxEvents parked = relay.getBean(ParkedOutboxEvents.class);

            await().atMost(TIMEOUT)
                .until(() -> rows(consumer, before) == 1 && rows(consumer, sameKey) == 1 && rows(consumer, otherKey) == 1
                        && ParkedFailures.of(parked, denied) != null && ParkedFailures.of(parked, uncreated) != null);

            assertThat(ParkedFailures.of(parked, denied)).contains(PublishDeniedException.class.getName())
                .contains("nats-denied.");
            assertThat(ParkedFailures.of(parked, uncreated)).contains(StreamRefusedException.class.getName())
                .contains("$JS.API.STREAM.CREATE.nats-uncreated");
            assertThat(relay.getBean(MeterRegistry.class).find("eventbus.relay.failures").tag("topic", "nats-granted")
                .counters()).as("failed rounds of the granted topic").isEmpty();
            server.reload(usersWhoseRelay("{ publish: \">\" }"));
            try (ConfigurableApplicationContext uncreatedConsumer = KitApplications.consumer(ownDatabase,
                    privateTransport, "nats-uncreated", "kit", 1)) {
                assertThat(parked.retry(List.of(denied, uncreated))).isEqualTo(2);
                await().atMost(TIMEOUT).until(() -> rows(deniedConsumer, denied) == 1 && rows(uncreatedConsumer, uncreated) == 1);
            }
        }
    }

    /**
     * A server configuration with two users: {@code admin}, which may do everything and is taken
     * by connections without credentials, and {@code relay}, with the given permissions.
     */
    private static String usersWhoseRelay(String permissions) {
        return """
                authorization {
                  users = [
                    { user: admin, password: admin }
                    { user: relay, password: relay, permissions: %s }
                  ]
                }
                no_auth_user: admin
                """.formatted(permissions);
    }

    @Test
    void twoInstancesOfAGroupHandleEachEventOnceInOrderAndOneTakesOverWhenTheOtherStops() {
        String topic = topic("nats-pair");
        OrderService orders = publisher(topic).getBean(OrderService.class);
        ConfigurableApplicationContext first = consumer(topic, "pair", 2);
        ConfigurableApplicationContext second = consumer(topic, "pair", 2);
        List<UUID> ids = new ArrayList<>(place(orders, 0, 200));
        await().atMost(TIMEOUT).until(() -> distinctRows(first, ids) == ids.size());
        List<OrderHandlers.Handled> handledByFirst = first.getBean(OrderHandlers.class).handled();
        OrderHandlers secondHandlers = second.getBean(OrderHandlers.class);
        int handledBySecondBefore = secondHandlers.handled().size();

        first.close();
        ids.addAll(place(orders, 200, 400));

        await().atMost(TIMEOUT).until(() -> distinctRows(second, ids) == ids.size());
        for (UUID id : ids) {
            assertThat(rows(second, id)).as("effects of %s", id).isOne();
        }
        assertThat(secondHandlers.handled().size() - handledBySecondBefore).isEqualTo(200);
        assertSortedByKey(handledByFirst);
        assertSortedByKey(secondHandlers.handled());
    }

    @Test
    void streamDeletedWhileTheApplicationRunsIsCreatedAgainAndLaterEventsFlow() throws Exception {
        String topic = topic("nats-deleted");
        ConfigurableApplicationContext consumer = consumer(topic, "kit", 1);
        OrderService orders = publisher(topic).getBean(OrderService.class);
        UUID first = orders.place(new OrderPlaced("deleted-1", 1));
        await().atMost(TIMEOUT).until(() -> rows(consumer, first) == 1);

        this.transport.deleteStream(topic);
        UUID second = orders.place(new OrderPlaced("deleted-1", 2));

        await().atMost(TIMEOUT).until(() -> rows(consumer, second) == 1);
        assertThat(rows(consumer, first)).isOne();
    }

    @Test
    void lagCountsTheMessagesTheGroupsConsumersHaveNotDelivered() {
        String topic = topic("nats-lag");
        ConfigurableApplicationContext consumer = consumer(topic, "kit", 1);
        OrderService orders = publisher(topic).getBean(OrderService.class);
        UUID last = orders.place(new OrderPlaced("lag-1", 1));
        await().atMost(TIMEOUT).until(() -> rows(consumer, last) == 1);
        await().atMost(TIMEOUT).until(() -> lag(consumer, topic) == 0.0);

        consumer.getBean(EventConsumers.class).stop();
        for (int i = 0; i < 7; i++) {
            orders.place(new OrderPlaced("lag-" + i, 10 + i));
        }

        await().atMost(TIMEOUT).until(() -> lag(consumer, topic) == 7.0);
    }

    @Test
    void applicationsOwnConnectionIsUsed() throws Exception {
        String topic = topic("nats-own");
        try (Connection own = Nats.connect(NatsKitTransport.URL)) {
            List<String> arguments = new ArrayList<>(this.database.commandLineArguments());
            arguments.addAll(List.of("--eventbus.transport=nats", "--eventbus.nats.url=nats://127.0.0.1:1",
                    "--eventbus.topics[test.order-placed]=" + topic, "--spring.application.name=own"));
            OwnConnection.connection = own;
            try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class,
                    OwnConnection.class).web(WebApplicationType.NONE).run(arguments.toArray(String[]::new))) {
                UUID eventId = context.getBean(OrderService.class).place(new OrderPlaced("own-1", 1));

                assertThat(context.getBeansOfType(Connection.class)).containsOnlyKeys("ownConnection");
                assertThat(this.transport.awaitMessages(topic,
                        (read) -> read.stream().anyMatch((message) -> eventId.toString().equals(message.id())),
                        TIMEOUT)).isNotEmpty();
            }
        }
    }

    @Test
    void invalidSettingsAreRefusedNamingTheProperty() {
        NatsTransportProperties properties = new NatsTransportProperties();

        assertThatIllegalArgumentException().isThrownBy(() -> properties.setUrl("http://localhost:4222"))
            .withMessageContaining("eventbus.nats.url");
        assertThatIllegalArgumentException().isThrownBy(() -> properties.getStream().setReplicas(0))
            .withMessageContaining("eventbus.nats.stream.replicas");
        assertThatIllegalArgumentException().isThrownBy(() -> properties.getStream().setStorage("tape"))
            .withMessageContaining("eventbus.nats.stream.storage");
        assertThatIllegalArgumentException().isThrownBy(() -> properties.setCredentials(Path.of("/no/such.creds")))
            .withMessageContaining("eventbus.nats.credentials");
        assertThatIllegalArgumentException().isThrownBy(() -> properties.setDuplicateWindow(Duration.ZERO))
            .withMessageContaining("eventbus.nats.duplicate-window");
        properties.setToken("secret");
        properties.setUsername("user");
        properties.setPassword("password");
        assertThatIllegalArgumentException().isThrownBy(properties::validate)
            .withMessageContaining("eventbus.nats.token");
        assertThatThrownBy(() -> KitApplications.publisher(this.database, this.transport, topic("nats-bad"), true,
                "--eventbus.nats.url=http://localhost:4222"))
            .hasStackTraceContaining("eventbus.nats.url");
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

    private static int rows(ConfigurableApplicationContext context, UUID eventId) {
        return context.getBean(JdbcTemplate.class)
            .queryForObject("SELECT COUNT(*) FROM handled_order WHERE event_id = ?", Integer.class, eventId.toString());
    }

    private static int distinctRows(ConfigurableApplicationContext context, List<UUID> ids) {
        return context.getBean(JdbcTemplate.class).queryForObject("SELECT COUNT(DISTINCT event_id) FROM handled_order"
                + " WHERE event_id IN (" + String.join(", ", ids.stream().map((id) -> "'" + id + "'").toList()) + ")",
                Integer.class);
    }

    private static double lag(ConfigurableApplicationContext consumer, String topic) {
        Gauge gauge = consumer.getBean(MeterRegistry.class)
            .find("eventbus.consumer.lag")
            .tags("group", "kit", "topic", topic)
            .gauge();
        return (gauge != null) ? gauge.value() : Double.NaN;
    }

    /**
     * An application's own connection, which eventbus uses instead of opening one.
     */
    @Configuration(proxyBeanMethods = false)
    static class OwnConnection {

        static Connection connection;

        @Bean
        Connection ownConnection() {
            return connection;
        }

    }

}
