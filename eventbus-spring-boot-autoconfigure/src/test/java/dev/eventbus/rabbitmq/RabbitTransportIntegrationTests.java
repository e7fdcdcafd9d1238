package dev.eventbus.rabbitmq;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.impl.LongStringHelper;

import dev.eventbus.actuate.EventbusEndpoint;
import dev.eventbus.consumer.EventConsumers;
import dev.eventbus.consumertest.OrderHandlers;
import dev.eventbus.kit.KitApplications;
import dev.eventbus.kit.ParkedFailures;
import dev.eventbus.outbox.ParkedOutboxEvents;
import dev.eventbus.testapp.OrderPlaced;
import dev.eventbus.testapp.OrderService;
import dev.eventbus.testsupport.RabbitBrokerProcess;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;
import dev.eventbus.wire.Partitions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * What the RabbitMQ transport does beyond the kit, on the machine's RabbitMQ and PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RabbitTransportIntegrationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private TestDatabase database;

    private RabbitKitTransport transport;

    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    @BeforeAll
    void start() {
        this.database = TestDatabases.embeddedPostgres();
        this.transport = new RabbitKitTransport();
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
        return publisher;
    }

    private ConfigurableApplicationContext consumer(String topic) {
        ConfigurableApplicationContext consumer = KitApplications.consumer(this.database, this.transport, topic, "kit", 1,
                "--management.endpoints.web.exposure.include=eventbus");
        this.contexts.add(consumer);
        return consumer;
    }

    @Test
    void eventNoQueueIsBoundForIsParkedAsUnroutableAndHandledOnceRetriedAfterTheGroupDeclaredItsQueues() {
        String topic = "rabbit-unroutable-" + UUID.randomUUID().toString().substring(0, 8);
        this.transport.track(topic);
        ConfigurableApplicationContext publisher = publisher(topic);
        UUID eventId = publisher.getBean(OrderService.class).place(new OrderPlaced("unroutable-1", 1));
        ParkedOutboxEvents parked = publisher.getBean(ParkedOutboxEvents.class);

        await().atMost(TIMEOUT).until(() -> ParkedFailures.of(parked, eventId) != null);

        assertThat(ParkedFailures.of(parked, eventId)).contains(UnroutableMessageException.class.getName())
            .contains("routing key '");
        ConfigurableApplicationContext consumer = consumer(topic);
        assertThat(retry(consumer, eventId)).isOne();
        await().atMost(TIMEOUT).until(() -> handledRows(publisher, eventId) == 1);
        assertThat(ParkedFailures.of(parked, eventId)).isNull();
    }

    @Test
    void exchangeDeletedWhileTheApplicationsRunIsDeclaredAgainWithItsBindingsAndLaterEventsAreHandled() {
        String topic = "rabbit-deleted-" + UUID.randomUUID().toString().substring(0, 8);
        HandledOne running = consumerAndPublisherThatHandledOne(topic, "deleted-1");
        ConfigurableApplicationContext publisher = running.publisher();

        this.transport.deleteExchange(topic);
        UUID second = publisher.getBean(OrderService.class).place(new OrderPlaced("deleted-1", 2));

        awaitHandledRetryingWhileParked(publisher, second);
        assertThat(handledRows(publisher, running.first())).isOne();
    }

    @Test
    void queueDeletedWhileTheGroupRunsIsDeclaredAgainAndConsumedWithoutARestart() {
        String topic = "rabbit-queue-" + UUID.randomUUID().toString().substring(0, 8);
        ConfigurableApplicationContext publisher = consumerAndPublisherThatHandledOne(topic, "queue-1").publisher();
        OrderService orders = publisher.getBean(OrderService.class);

        this.transport.deleteQueue(RabbitTopology.queue(topic, "kit", new Partitions(16).of("queue-1")));
        UUID second = orders.place(new OrderPlaced("queue-1", 2));
        UUID otherPartition = orders.place(new OrderPlaced("queue-2", 1));

        awaitHandledRetryingWhileParked(publisher, second);
        awaitHandledRetryingWhileParked(publisher, otherPartition);
    }

    /**
     * Starts a consumer and a publisher of a topic and waits until the consumer handled a first
     * event of the key.
     */
    private HandledOne consumerAndPublisherThatHandledOne(String topic, String key) {
        this.transport.track(topic);
        consumer(topic);
        ConfigurableApplicationContext publisher = publisher(topic);
        UUID first = publisher.getBean(OrderService.class).place(new OrderPlaced(key, 1));
        await().atMost(TIMEOUT).until(() -> handledRows(publisher, first) == 1);
        return new HandledOne(publisher, first);
    }

    private record HandledOne(ConfigurableApplicationContext publisher, UUID first) {
    }

    /**
     * Waits until an event is handled, retrying it whenever the relay parked it as unroutable:
     * events published while a binding is missing are parked until someone retries them.
     */
    private static void awaitHandledRetryingWhileParked(ConfigurableApplicationContext publisher, UUID eventId) {
        ParkedOutboxEvents parked = publisher.getBean(ParkedOutboxEvents.class);
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
            String failure = ParkedFailures.of(parked, eventId);
            if (failure != null) {
                assertThat(failure).contains(UnroutableMessageException.class.getName());
                parked.retry(List.of(eventId));
            }
            return handledRows(publisher, eventId) == 1;
        });
    }

    @Test
    void eventsOfATopicWhoseExchangeTheBrokerRefusesAreParkedWhileTheOthersFlowAndAreHandledOnceRetriedAfterAFix() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String refusedTopic = "rabbit-refused-" + suffix;
        String topic = "rabbit-flowing-" + suffix;
        this.transport.track(topic);
        this.transport.declareFanoutExchange(refusedTopic);
        consumer(topic);
        ConfigurableApplicationContext publisher = publisher(topic);
        ConfigurableApplicationContext refusedPublisher = KitApplications.publisher(this.database, this.transport,
                refusedTopic, false);
        this.contexts.add(refusedPublisher);
        UUID refused = refusedPublisher.getBean(OrderService.class).place(new OrderPlaced("refused-1", 1));
        OrderService orders = publisher.getBean(OrderService.class);
        UUID sameKey = orders.place(new OrderPlaced("refused-1", 2));
        UUID otherKey = orders.place(new OrderPlaced("flowing-1", 1));
        ParkedOutboxEvents parked = publisher.getBean(ParkedOutboxEvents.class);

        await().atMost(TIMEOUT)
            .until(() -> handledRows(publisher, sameKey) == 1 && handledRows(publisher, otherKey) == 1
                    && ParkedFailures.of(parked, refused) != null);

        assertThat(ParkedFailures.of(parked, refused)).contains("PRECONDITION_FAILED").contains(refusedTopic);
        this.transport.deleteExchange(refusedTopic);
        ConfigurableApplicationContext refusedConsumer = consumer(refusedTopic);
        assertThat(retry(refusedConsumer, refused)).isOne();
        await().atMost(TIMEOUT).until(() -> handledRows(publisher, refused) == 1);
    }

    @Test
    void eventsOfATopicTheUserMayNotPublishToAreParkedWhileTheOthersFlowAndAreHandledOnceRetriedAfterAGrant() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String deniedTopic = "rabbit-denied-" + suffix;
        String topic = "rabbit-granted-" + suffix;
        String user = "eventbus-kit-" + suffix;
        this.transport.track(deniedTopic);
        this.transport.track(topic);
        this.transport.addUserDeniedWritesTo(user, deniedTopic);
        try (TestDatabase ownDatabase = TestDatabases.embeddedPostgres();
                ConfigurableApplicationContext deniedConsumer = KitApplications.consumer(ownDatabase, this.transport,
                        deniedTopic, "kit", 1, "--management.endpoints.web.exposure.include=eventbus");
                ConfigurableApplicationContext consumer = KitApplications.consumer(ownDatabase, this.transport, topic,
                        "kit", 1);
                ConfigurableApplicationContext publisher = KitApplications.publisher(ownDatabase, this.transport, topic,
                        true, "--spring.rabbitmq.username=" + user, "--spring.rabbitmq.password=" + user);
                ConfigurableApplicationContext deniedPublisher = KitApplications.publisher(ownDatabase, this.transport,
                        deniedTopic, false)) {
            OrderService deniedOrders = deniedPublisher.getBean(OrderService.class);
            OrderService orders = publisher.getBean(OrderService.class);
            UUID before = orders.place(new OrderPlaced("denied-1", 1));
            UUID denied = deniedOrders.place(new OrderPlaced("denied-1", 2));
            UUID sameKey = orders.place(new OrderPlaced("denied-1", 3));
            UUID deniedAgain = deniedOrders.place(new OrderPlaced("denied-2", 1));
            UUID otherKey = orders.place(new OrderPlaced("granted-1", 1));
            ParkedOutboxEvents parked = publisher.getBean(ParkedOutboxEvents.class);

            await().atMost(TIMEOUT)
                .until(() -> handledRows(publisher, before) == 1 && handledRows(publisher, sameKey) == 1
                        && handledRows(publisher, otherKey) == 1 && ParkedFailures.of(parked, denied) != null
                        && ParkedFailures.of(parked, deniedAgain) != null);

            assertThat(ParkedFailures.of(parked, denied)).contains("ACCESS_REFUSED").contains(deniedTopic);
            assertThat(ParkedFailures.of(parked, deniedAgain)).contains("ACCESS_REFUSED");
            assertThat(publisher.getBean(MeterRegistry.class).find("eventbus.relay.failures").tag("topic", topic).counters())
                .as("failed rounds of the granted topic").isEmpty();
            this.transport.grantAllWrites(user);
            assertThat(retry(deniedConsumer, denied)).isOne();
            assertThat(retry(deniedConsumer, deniedAgain)).isOne();
            await().atMost(TIMEOUT)
                .until(() -> handledRows(publisher, denied) == 1 && handledRows(publisher, deniedAgain) == 1);
        }
    }

    @Test
    void messageLargerThanTheBrokerTakesIsParkedWhileTheOthersOfItsKeyFlow() {
        String topic = "rabbit-large";
        try (RabbitBrokerProcess broker = RabbitBrokerProcess.start("max_message_size = 65536");
                RabbitKitTransport privateTransport = new RabbitKitTransport(broker.port());
                TestDatabase ownDatabase = TestDatabases.embeddedPostgres();
                ConfigurableApplicationContext consumer = KitApplications.consumer(ownDatabase, privateTransport, topic,
                        "kit", 1);
                ConfigurableApplicationContext publisher = KitApplications.publisher(ownDatabase, privateTransport,
                        topic, true)) {
            privateTransport.track(topic);
            OrderService orders = publisher.getBean(OrderService.class);
            List<UUID> placed = orders.placeAll(List.of(new OrderPlaced("large-1", 1),
                    new OrderPlaced("large-1", 2, "x".repeat(100_000)), new OrderPlaced("large-1", 3)));
            ParkedOutboxEvents parked = publisher.getBean(ParkedOutboxEvents.class);

            await().atMost(TIMEOUT)
                .until(() -> handledRows(publisher, placed.get(0)) == 1 && handledRows(publisher, placed.get(2)) == 1
                        && ParkedFailures.of(parked, placed.get(1)) != null);

            assertThat(ParkedFailures.of(parked, placed.get(1))).contains("max_message_size of 65536");
            assertThat(handledRows(publisher, placed.get(1))).isZero();
            MeterRegistry registry = publisher.getBean(MeterRegistry.class);
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(registry.find("eventbus.relay.failures")
                .tag("topic", topic)
                .counters()
                .stream()
                .mapToDouble(Counter::count)
                .sum()).as("the parked event and no failed round").isEqualTo(1.0));
        }
    }

    @Test
    void headersOfAnotherAmqpClientAsByteArraysLongStringsIntegersAndTimestampsAreRead() throws Exception {
        String topic = "rabbit-foreign-" + UUID.randomUUID().toString().substring(0, 8);
        this.transport.track(topic);
        ConfigurableApplicationContext consumer = consumer(topic);
        String longKey = "amqp-" + "k".repeat(1500);
        UUID shortKeyed = UUID.randomUUID();
        UUID longKeyed = UUID.randomUUID();
        Date time = Date.from(Instant.parse("2026-12-01T08:00:00Z"));

        com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(this.transport.port());
        try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
            publishForeign(channel, topic, shortKeyed, "amqp-1", time);
            publishForeign(channel, topic, longKeyed, longKey, time);
        }

        OrderHandlers handlers = consumer.getBean(OrderHandlers.class);
        await().atMost(TIMEOUT).until(() -> handlers.handled().size() == 2);
        assertThat(handlers.handled()).extracting((handled) -> handled.metadata().id(),
                (handled) -> handled.metadata().key(), (handled) -> handled.metadata().version(),
                (handled) -> handled.metadata().occurredAt())
            .containsExactlyInAnyOrder(tuple(shortKeyed, "amqp-1", 2, time.toInstant()),
                    tuple(longKeyed, longKey, 2, time.toInstant()));
    }

    /**
     * Publishes binary-mode headers the way amqp091-go does for {@code []byte}, {@code int32} and
     * {@code time.Time} values, and a long string as the id.
     */
    private static void publishForeign(Channel channel, String topic, UUID id, String key, Date time)
            throws IOException {
        Map<String, Object> headers = new HashMap<>();
        headers.put("cloudEvents_specversion", utf8("1.0"));
        headers.put("cloudEvents_id", LongStringHelper.asLongString(id.toString()));
        headers.put("cloudEvents_source", utf8("go-service"));
        headers.put("cloudEvents_type", utf8("test.order-placed"));
        headers.put("cloudEvents_eventversion", 2);
        headers.put("cloudEvents_time", time);
        headers.put("cloudEvents_partitionkey", LongStringHelper.asLongString(key));
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json")
            .deliveryMode(2)
            .headers(headers)
            .build();
        channel.basicPublish(topic, Integer.toString(new Partitions(16).of(key)), true, properties,
                utf8("{\"orderId\":\"" + id + "\",\"sequence\":1,\"note\":\"\"}"));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void lagCountsTheMessagesWaitingInTheGroupsQueues() {
        String topic = "rabbit-lag-" + UUID.randomUUID().toString().substring(0, 8);
        this.transport.track(topic);
        ConfigurableApplicationContext consumer = consumer(topic);
        ConfigurableApplicationContext publisher = publisher(topic);
        UUID last = null;
        for (int i = 0; i < 5; i++) {
            last = publisher.getBean(OrderService.class).place(new OrderPlaced("lag-" + i, i));
        }
        UUID lastPlaced = last;
        await().atMost(TIMEOUT).until(() -> handledRows(publisher, lastPlaced) == 1);
        await().atMost(TIMEOUT).until(() -> lag(consumer, topic) == 0.0);

        consumer.getBean(EventConsumers.class).stop();
        for (int i = 0; i < 7; i++) {
            publisher.getBean(OrderService.class).place(new OrderPlaced("lag-" + i, 10 + i));
        }

        await().atMost(TIMEOUT).until(() -> lag(consumer, topic) == 7.0);
    }

    @Test
    void applicationsOwnConnectionFactoryKeepsItsSettingsAndEventbusPublishesWithConfirmsOnItsOwn() {
        String topic = "rabbit-own-" + UUID.randomUUID().toString().substring(0, 8);
        this.transport.track(topic);
        ConfigurableApplicationContext publisher = publisher(topic);

        CachingConnectionFactory applications = (CachingConnectionFactory) publisher.getBean(ConnectionFactory.class);

        assertThat(applications.isPublisherConfirms()).isFalse();
        assertThat(applications.isPublisherReturns()).isFalse();
        assertThat(publisher.getBeansOfType(ConnectionFactory.class)).hasSize(1);
    }

    private static int retry(ConfigurableApplicationContext context, UUID eventId) {
        return context.getBean(EventbusEndpoint.class)
            .replay(null, null, List.of(eventId.toString()), null, true)
            .retried();
    }

    private static int handledRows(ConfigurableApplicationContext context, UUID eventId) {
        return context.getBean(JdbcTemplate.class)
            .queryForObject("SELECT COUNT(*) FROM handled_order WHERE event_id = ?", Integer.class, eventId.toString());
    }

    private static double lag(ConfigurableApplicationContext consumer, String topic) {
        Gauge gauge = consumer.getBean(MeterRegistry.class)
            .find("eventbus.consumer.lag")
            .tags("group", "kit", "topic", topic)
            .gauge();
        return (gauge != null) ? gauge.value() : Double.NaN;
    }

}
