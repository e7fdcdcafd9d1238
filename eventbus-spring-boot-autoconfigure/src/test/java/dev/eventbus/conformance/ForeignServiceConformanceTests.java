package dev.eventbus.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.LongString;
import com.rabbitmq.client.Return;
import dev.eventbus.consumertest.OrderHandlers;
import dev.eventbus.kit.KitApplications;
import dev.eventbus.kit.KitTransport;
import dev.eventbus.testapp.OrderPlaced;
import dev.eventbus.testapp.OrderService;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;
import dev.eventbus.testsupport.TestKafka;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamState;
import io.nats.client.impl.Headers;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A service of another language, written from {@code docs/wire-format.md} alone, talking to eventbus
 * applications on Kafka, RabbitMQ and NATS JetStream with the raw broker clients: as a producer
 * whose events an eventbus consumer group handles (binary and structured content mode) or
 * dead-letters (a version no handler accepts), and as a consumer of what an eventbus publisher
 * writes. Destinations, partitions, headers and encodings come from the document, not from
 * eventbus's code: murmur2, the partition function, the name-based event id and the NATS
 * percent-encoding are written here from the document's pseudo-code and prose.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForeignServiceConformanceTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The eventbus consumer group that handles the foreign producer's events. */
    private static final String GROUP = "conformance";

    /** The foreign consumer's own group on RabbitMQ. */
    private static final String FOREIGN_GROUP = "foreign";

    /** The partitions of the Kafka topics this test creates. */
    private static final int KAFKA_PARTITIONS = 3;

    /** {@code eventbus.partitions}, whose default the document gives as 16, on RabbitMQ and NATS. */
    private static final int PARTITIONS = 16;

    private static final String SOURCE = "foreign-service";

    private static final String TYPE = "test.order-placed";

    /** The source an eventbus publisher writes: its {@code spring.application.name}. */
    private static final String PUBLISHER_SOURCE = "order-service";

    private static final String UNSUPPORTED_VERSION = "dev.eventbus.consumer.UnsupportedEventVersionException";

    private static final String STRUCTURED = "application/cloudevents+json; charset=utf-8";

    private static final String BINARY_KEY = "Müller-7";

    private static final String STRUCTURED_KEY = "order-s-1";

    private static final String VERSION_3_KEY = "order-v3-3";

    private static final String PUBLISHED_KEY = "Zoë-3";

    private static final String BINARY_TIME = "2026-03-01T10:15:30.123456Z";

    private static final String STRUCTURED_TIME = "2026-03-01T11:15:30+01:00";

    /** What eventbus writes as {@code time}: UTC with {@code Z} and 0, 3, 6 or 9 fraction digits. */
    private static final Pattern EVENTBUS_TIME = Pattern
        .compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{3}|\\.\\d{6}|\\.\\d{9})?Z");

    private static final Pattern UUID_FORM = Pattern
        .compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private static final String RABBIT_HOST = "127.0.0.1";

    private static final int RABBIT_PORT = 5672;

    private static final String NATS_URL = "nats://127.0.0.1:4222";

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);

    private final String kafkaIn = "conformance-kafka-in-" + this.suffix;

    private final String kafkaOut = "conformance-kafka-out-" + this.suffix;

    private final String rabbitIn = "conformance-rabbitmq-in-" + this.suffix;

    private final String rabbitOut = "conformance-rabbitmq-out-" + this.suffix;

    /** With a dot, so that the stream name differs from the topic: {@code .} becomes {@code _}. */
    private final String natsIn = "conformance.nats-in-" + this.suffix;

    private final String natsOut = "conformance.nats-out-" + this.suffix;

    private final List<String> kafkaTopics = new CopyOnWriteArrayList<>();

    private final List<String> rabbitTopics = new CopyOnWriteArrayList<>();

    private final List<String> natsTopics = new CopyOnWriteArrayList<>();

    @AfterAll
    void deleteWhatTheTestsCreated() {
        deleteKafkaTopics();
        deleteRabbitTopology();
        deleteNatsStreams();
    }

    // Section 2 and 7: the functions a foreign service ports, checked against the document's own examples

    @Test
    void partitionFunctionWrittenFromThePseudoCodeGivesTheDocumentsHashesAndTestVectors() {
        assertThat(murmur2(utf8(""))).isEqualTo(0x106e08d9);
        assertThat(murmur2(utf8("a"))).isEqualTo(0xa2d0b27c);
        assertThat(murmur2(utf8("order-1"))).isEqualTo(0x48d1d1f6);
        assertThat(murmur2(utf8("Müller"))).isEqualTo(0x95448d7d);
        assertThat(murmur2(utf8("🚀"))).isEqualTo(0x2d67d1c1);
        List<PartitionVector> vectors = List.of(new PartitionVector("", 0, 9, 25), new PartitionVector("a", 1, 12, 60),
                new PartitionVector("ab", 2, 10, 42), new PartitionVector("abc", 0, 11, 27),
                new PartitionVector("abcd", 2, 4, 52), new PartitionVector("order-1", 1, 6, 54),
                new PartitionVector("order-2", 0, 3, 3), new PartitionVector("customer-42", 0, 9, 25),
                new PartitionVector("42", 1, 12, 44),
                new PartitionVector("550e8400-e29b-41d4-a716-446655440000", 2, 15, 63),
                new PartitionVector("tenant-7/customer-42/order-2026-000123/line-17/shipment-3", 0, 1, 33),
                new PartitionVector("Müller", 1, 13, 61), new PartitionVector("東京", 1, 11, 43),
                new PartitionVector("🚀", 1, 1, 1), new PartitionVector("ключ", 2, 0, 48),
                new PartitionVector("café au lait", 2, 14, 14));
        for (PartitionVector vector : vectors) {
            assertThat(partition(vector.key(), 3)).as("\"%s\" of 3", vector.key()).isEqualTo(vector.of3());
            assertThat(partition(vector.key(), 16)).as("\"%s\" of 16", vector.key()).isEqualTo(vector.of16());
            assertThat(partition(vector.key(), 64)).as("\"%s\" of 64", vector.key()).isEqualTo(vector.of64());
        }
    }

    @Test
    void eventIdOfACloudEventsIdIsItselfWhenAUuidElseTheDocumentsNameBasedUuid() {
        assertThat(eventId("billing-go", "inv-2026-0001")).hasToString("19837cfd-0221-3e03-9706-4240977002eb");
        assertThat(eventId("https://shop.example/orders", "A234-1234-1234"))
            .hasToString("8b31f8a7-d983-3dc0-aec7-00c67a89d7fc");
        assertThat(eventId("billing-go", "550e8400-e29b-41d4-a716-446655440000"))
            .hasToString("550e8400-e29b-41d4-a716-446655440000");
        assertThat(eventId("billing-go", "550E8400-E29B-41D4-A716-446655440000"))
            .hasToString("550e8400-e29b-41d4-a716-446655440000");
    }

    @Test
    void natsHeaderValuesArePercentEncodedOutsidePrintableAsciiAsTheDocumentsExample() {
        assertThat(percentEncode("Müller 100%")).isEqualTo("M%C3%BCller 100%25");
        assertThat(percentEncode("order-1")).isEqualTo("order-1");
        assertThat(percentDecode("M%C3%BCller 100%25")).isEqualTo("Müller 100%");
        assertThat(percentDecode("100%")).isEqualTo("100%");
        assertThat(percentDecode("100%2")).isEqualTo("100%2");
        assertThat(percentDecode("%zz-1")).isEqualTo("%zz-1");
    }

    // Kafka: section 3, 6, 7 and 8

    @Test
    void kafkaEventsOfAForeignProducerAreHandledAndAnUnsupportedVersionIsDeadLetteredWithItsCause() throws Exception {
        createKafkaTopic(this.kafkaIn);
        try (TestDatabase database = TestDatabases.embeddedPostgres();
                ConfigurableApplicationContext consumer = KitApplications.consumer(database, kafka(), this.kafkaIn,
                        GROUP, 1, "--spring.kafka.consumer.auto-offset-reset=earliest")) {
            awaitKafkaPartitionsAssigned(GROUP, this.kafkaIn);
            String binaryId = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
            String structuredId = "inv-" + this.suffix;
            String version3Id = UUID.randomUUID().toString();
            byte[] version3Envelope = envelope(version3Id, 3, VERSION_3_KEY, 3);

            Map<String, String> binaryHeaders = new LinkedHashMap<>();
            binaryAttributes(binaryId).forEach((name, value) -> binaryHeaders.put("ce_" + name, value));
            binaryHeaders.put("content-type", "application/json");
            produceToKafka(this.kafkaIn, BINARY_KEY, body(BINARY_KEY, 1), binaryHeaders);
            produceToKafka(this.kafkaIn, STRUCTURED_KEY, envelope(structuredId, 2, STRUCTURED_KEY, 2),
                    Map.of("content-type", STRUCTURED));
            RecordMetadata version3 = produceToKafka(this.kafkaIn, VERSION_3_KEY, version3Envelope,
                    Map.of("content-type", STRUCTURED));

            assertHandled(awaitHandled(consumer, UUID.fromString(binaryId)), UUID.fromString(binaryId), BINARY_KEY, 1,
                    Instant.parse(BINARY_TIME));
            assertHandled(awaitHandled(consumer, eventId(SOURCE, structuredId)), eventId(SOURCE, structuredId),
                    STRUCTURED_KEY, 2, OffsetDateTime.parse(STRUCTURED_TIME).toInstant());
            List<ConsumerRecord<String, byte[]>> deadLetters = TestKafka.readUntil(TestKafka.bootstrapServers(),
                    this.kafkaIn + "-dlt", (read) -> read.stream().anyMatch(hasEnvelopeId(version3Id)), TIMEOUT);
            ConsumerRecord<String, byte[]> deadLetter = deadLetters.stream()
                .filter(hasEnvelopeId(version3Id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No dead letter of " + version3Id + " on " + this.kafkaIn
                        + "-dlt within " + TIMEOUT));
            assertThat(version3.partition()).isEqualTo(partition(VERSION_3_KEY, KAFKA_PARTITIONS));
            assertThat(deadLetter.key()).isEqualTo(VERSION_3_KEY);
            assertThat(deadLetter.value()).containsExactly(version3Envelope);
            assertThat(kafkaHeader(deadLetter, "content-type")).isEqualTo(STRUCTURED);
            assertUnsupportedVersionCause(kafkaHeader(deadLetter, "kafka_dlt-exception-fqcn"),
                    kafkaHeader(deadLetter, "kafka_dlt-exception-message"));
            assertThat(kafkaHeader(deadLetter, "kafka_dlt-original-topic")).isEqualTo(this.kafkaIn);
            assertThat(kafkaHeaderBytes(deadLetter, "kafka_dlt-original-partition")).hasSize(4);
            assertThat(ByteBuffer.wrap(kafkaHeaderBytes(deadLetter, "kafka_dlt-original-partition")).getInt())
                .isEqualTo(version3.partition());
            assertThat(kafkaHeaderBytes(deadLetter, "kafka_dlt-original-offset")).hasSize(8);
            assertThat(ByteBuffer.wrap(kafkaHeaderBytes(deadLetter, "kafka_dlt-original-offset")).getLong())
                .isEqualTo(version3.offset());
            assertThat(kafkaHeader(deadLetter, "kafka_dlt-original-consumer-group")).isEqualTo(GROUP);
            assertThat(kafkaHeader(deadLetter, "eventbus-attempts")).isEqualTo("1");
            assertNeverHandled(consumer, UUID.fromString(version3Id));
        }
    }

    @Test
    void kafkaEventOfAnEventbusPublisherReachesAForeignConsumerAsTheDocumentDescribes() throws Exception {
        createKafkaTopic(this.kafkaOut);
        try (TestDatabase database = TestDatabases.embeddedPostgres();
                ConfigurableApplicationContext publisher = KitApplications.publisher(database, kafka(), this.kafkaOut,
                        true)) {
            Instant before = Instant.now();
            UUID eventId = publisher.getBean(OrderService.class).place(new OrderPlaced(PUBLISHED_KEY, 1));
            Instant after = Instant.now();

            Predicate<ConsumerRecord<String, byte[]>> published = (record) -> eventId.toString()
                .equals(kafkaHeader(record, "ce_id"));
            List<ConsumerRecord<String, byte[]>> records = TestKafka.readUntil(TestKafka.bootstrapServers(),
                    this.kafkaOut, (read) -> read.stream().anyMatch(published), TIMEOUT);
            ConsumerRecord<String, byte[]> record = records.stream()
                .filter(published)
                .findFirst()
                .orElseThrow(() -> new AssertionError("No record of " + eventId + " on " + this.kafkaOut));
            assertThat(record.topic()).isEqualTo(this.kafkaOut);
            assertThat(record.partition()).isEqualTo(partition(PUBLISHED_KEY, KAFKA_PARTITIONS));
            assertThat(record.key()).isEqualTo(PUBLISHED_KEY);
            assertThat(kafkaHeader(record, "ce_specversion")).isEqualTo("1.0");
            assertPublishedId(kafkaHeader(record, "ce_id"), eventId);
            assertThat(kafkaHeader(record, "ce_source")).isEqualTo(PUBLISHER_SOURCE);
            assertThat(kafkaHeader(record, "ce_type")).isEqualTo(TYPE);
            assertPublishedTime(kafkaHeader(record, "ce_time"), before, after);
            assertThat(kafkaHeader(record, "ce_eventversion")).isEqualTo("2");
            assertThat(kafkaHeader(record, "content-type")).isEqualTo("application/json");
            assertThat(record.headers().lastHeader("ce_partitionkey")).isNull();
            assertPublishedBody(record.value());
        }
    }

    // RabbitMQ: section 4, 6, 7 and 8

    @Test
    void rabbitMqEventsOfAForeignProducerAreHandledAndAnUnsupportedVersionIsDeadLetteredWithItsCause()
            throws Exception {
        this.rabbitTopics.add(this.rabbitIn);
        try (TestDatabase database = TestDatabases.embeddedPostgres();
                ConfigurableApplicationContext consumer = KitApplications.consumer(database, rabbitMq(), this.rabbitIn,
                        GROUP, 1);
                com.rabbitmq.client.Connection connection = rabbitConnection();
                Channel channel = connection.createChannel()) {
            List<String> declared = new ArrayList<>(rabbitQueues(this.rabbitIn, GROUP));
            declared.add(this.rabbitIn + "-dlt");
            await().atMost(TIMEOUT)
                .until(() -> declared.stream().allMatch((queue) -> rabbitQueueExists(connection, queue)));
            assertThat(rabbitQueueExists(connection, this.rabbitIn + "." + GROUP + "." + PARTITIONS))
                .as("a queue beyond the %d partitions", PARTITIONS)
                .isFalse();
            String binaryId = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
            String structuredId = "inv-" + this.suffix;
            String version3Id = UUID.randomUUID().toString();
            byte[] version3Envelope = envelope(version3Id, 3, VERSION_3_KEY, 3);
            List<Return> returns = new CopyOnWriteArrayList<>();
            channel.addReturnListener((Return returned) -> returns.add(returned));
            channel.confirmSelect();

            Map<String, Object> binaryHeaders = new LinkedHashMap<>();
            binaryAttributes(binaryId).forEach((name, value) -> binaryHeaders.put("cloudEvents_" + name, value));
            binaryHeaders.put("cloudEvents_partitionkey", BINARY_KEY);
            AMQP.BasicProperties binary = new AMQP.BasicProperties.Builder().contentType("application/json")
                .deliveryMode(2)
                .headers(binaryHeaders)
                .build();
            AMQP.BasicProperties structured = new AMQP.BasicProperties.Builder().contentType(STRUCTURED)
                .deliveryMode(2)
                .build();
            channel.basicPublish(this.rabbitIn, routingKey(BINARY_KEY), true, binary, body(BINARY_KEY, 1));
            channel.basicPublish(this.rabbitIn, routingKey(STRUCTURED_KEY), true, structured,
                    envelope(structuredId, 2, STRUCTURED_KEY, 2));
            channel.basicPublish(this.rabbitIn, routingKey(VERSION_3_KEY), true, structured, version3Envelope);
            channel.waitForConfirmsOrDie(TIMEOUT.toMillis());
            assertThat(returns).as("messages no queue took").isEmpty();

            assertHandled(awaitHandled(consumer, UUID.fromString(binaryId)), UUID.fromString(binaryId), BINARY_KEY, 1,
                    Instant.parse(BINARY_TIME));
            assertHandled(awaitHandled(consumer, eventId(SOURCE, structuredId)), eventId(SOURCE, structuredId),
                    STRUCTURED_KEY, 2, OffsetDateTime.parse(STRUCTURED_TIME).toInstant());
            String deadLetterQueue = this.rabbitIn + "-dlt";
            GetResponse deadLetter = await().atMost(TIMEOUT)
                .until(() -> rabbitMessageWithEnvelopeId(channel, deadLetterQueue, version3Id), Objects::nonNull);
            assertThat(deadLetter.getEnvelope().getExchange()).isEmpty();
            assertThat(deadLetter.getEnvelope().getRoutingKey()).isEqualTo(deadLetterQueue);
            assertThat(deadLetter.getBody()).containsExactly(version3Envelope);
            assertThat(deadLetter.getProps().getContentType()).isEqualTo(STRUCTURED);
            assertThat(deadLetter.getProps().getDeliveryMode()).isEqualTo(2);
            Map<String, Object> headers = deadLetter.getProps().getHeaders();
            for (String name : List.of("eventbus-dlt-exception-fqcn", "eventbus-dlt-exception-message",
                    "eventbus-dlt-group", "eventbus-dlt-partition", "eventbus-attempts")) {
                assertThat(headers.get(name)).as(name).isInstanceOf(LongString.class);
            }
            assertUnsupportedVersionCause(String.valueOf(headers.get("eventbus-dlt-exception-fqcn")),
                    String.valueOf(headers.get("eventbus-dlt-exception-message")));
            assertThat(String.valueOf(headers.get("eventbus-dlt-exception-message"))).hasSizeLessThanOrEqualTo(2000);
            assertThat(String.valueOf(headers.get("eventbus-dlt-group"))).isEqualTo(GROUP);
            assertThat(String.valueOf(headers.get("eventbus-dlt-partition")))
                .isEqualTo(Integer.toString(partition(VERSION_3_KEY, PARTITIONS)));
            assertThat(String.valueOf(headers.get("eventbus-attempts"))).isEqualTo("1");
            assertNeverHandled(consumer, UUID.fromString(version3Id));
        }
    }

    @Test
    void rabbitMqEventOfAnEventbusPublisherReachesAForeignConsumerAsTheDocumentDescribes() throws Exception {
        this.rabbitTopics.add(this.rabbitOut);
        try (com.rabbitmq.client.Connection connection = rabbitConnection();
                Channel channel = connection.createChannel()) {
            channel.exchangeDeclare(this.rabbitOut, "direct", true, false, Map.of());
            for (String queue : rabbitQueues(this.rabbitOut, FOREIGN_GROUP)) {
                channel.queueDeclare(queue, true, false, false, Map.of("x-single-active-consumer", true));
            }
            for (int partition = 0; partition < PARTITIONS; partition++) {
                channel.queueBind(rabbitQueue(this.rabbitOut, FOREIGN_GROUP, partition), this.rabbitOut,
                        Integer.toString(partition));
            }
            try (TestDatabase database = TestDatabases.embeddedPostgres();
                    ConfigurableApplicationContext publisher = KitApplications.publisher(database, rabbitMq(),
                            this.rabbitOut, true)) {
                Instant before = Instant.now();
                UUID eventId = publisher.getBean(OrderService.class).place(new OrderPlaced(PUBLISHED_KEY, 1));
                Instant after = Instant.now();

                int expectedPartition = partition(PUBLISHED_KEY, PARTITIONS);
                String queue = rabbitQueue(this.rabbitOut, FOREIGN_GROUP, expectedPartition);
                GetResponse message = await().atMost(TIMEOUT)
                    .until(() -> channel.basicGet(queue, true), Objects::nonNull);
                assertThat(message.getEnvelope().getExchange()).isEqualTo(this.rabbitOut);
                assertThat(message.getEnvelope().getRoutingKey()).isEqualTo(Integer.toString(expectedPartition));
                AMQP.BasicProperties properties = message.getProps();
                assertThat(properties.getContentType()).isEqualTo("application/json");
                assertThat(properties.getContentEncoding()).isEqualTo("UTF-8");
                assertThat(properties.getDeliveryMode()).isEqualTo(2);
                assertThat(properties.getPriority()).isEqualTo(0);
                assertThat(properties.getMessageId()).isEqualTo(eventId.toString());
                Map<String, Object> headers = properties.getHeaders();
                assertThat(headers.values()).as("header values are AMQP long strings")
                    .allMatch((value) -> value instanceof LongString);
                assertThat(headers).doesNotContainKey("__TypeId__");
                assertThat(String.valueOf(headers.get("cloudEvents_specversion"))).isEqualTo("1.0");
                assertPublishedId(String.valueOf(headers.get("cloudEvents_id")), eventId);
                assertThat(String.valueOf(headers.get("cloudEvents_source"))).isEqualTo(PUBLISHER_SOURCE);
                assertThat(String.valueOf(headers.get("cloudEvents_type"))).isEqualTo(TYPE);
                Instant time = assertPublishedTime(String.valueOf(headers.get("cloudEvents_time")), before, after);
                assertThat(properties.getTimestamp().toInstant()).isEqualTo(time.truncatedTo(ChronoUnit.SECONDS));
                assertThat(String.valueOf(headers.get("cloudEvents_eventversion"))).isEqualTo("2");
                assertThat(String.valueOf(headers.get("cloudEvents_partitionkey"))).isEqualTo(PUBLISHED_KEY);
                assertPublishedBody(message.getBody());
            }
        }
    }

    // NATS JetStream: section 5, 6, 7 and 8

    @Test
    void natsEventsOfAForeignProducerAreHandledAndAnUnsupportedVersionIsDeadLetteredWithItsCause() throws Exception {
        this.natsTopics.add(this.natsIn);
        String stream = this.natsIn.replace('.', '_');
        String deadLetterStream = stream + "-dlt";
        try (TestDatabase database = TestDatabases.embeddedPostgres();
                ConfigurableApplicationContext consumer = KitApplications.consumer(database, nats(), this.natsIn, GROUP,
                        1);
                io.nats.client.Connection connection = Nats.connect(NATS_URL)) {
            JetStreamManagement management = connection.jetStreamManagement();
            List<String> consumers = new ArrayList<>();
            for (int partition = 0; partition < PARTITIONS; partition++) {
                consumers.add(GROUP + "-" + partition);
            }
            await().atMost(TIMEOUT)
                .ignoreExceptions()
                .until(() -> management.getConsumerNames(stream).containsAll(consumers)
                        && management.getStreamInfo(deadLetterStream) != null);
            StreamConfiguration configuration = management.getStreamInfo(stream).getConfiguration();
            assertThat(configuration.getSubjects()).containsExactly(this.natsIn + ".*");
            assertThat(configuration.getDescription())
                .isEqualTo("eventbus topic " + this.natsIn + ", " + PARTITIONS + " partitions");
            assertThat(management.getStreamInfo(deadLetterStream).getConfiguration().getSubjects())
                .contains(this.natsIn + "-dlt");
            String binaryId = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
            String structuredId = "inv-" + this.suffix;
            String version3Id = UUID.randomUUID().toString();
            byte[] version3Envelope = envelope(version3Id, 3, VERSION_3_KEY, 3);

            Headers binary = new Headers();
            binaryAttributes(binaryId).forEach((name, value) -> binary.put("ce-" + name, percentEncode(value)));
            binary.put("content-type", "application/json");
            binary.put("ce-partitionkey", percentEncode(BINARY_KEY));
            binary.put("eventbus-encoding", "percent");
            binary.put("Nats-Msg-Id", binaryId);
            assertThat(binary.getFirst("ce-partitionkey")).isEqualTo("M%C3%BCller-7");
            Headers structured = new Headers();
            structured.put("content-type", STRUCTURED);
            structured.put("Nats-Msg-Id", structuredId);
            Headers structuredVersion3 = new Headers();
            structuredVersion3.put("content-type", STRUCTURED);
            structuredVersion3.put("Nats-Msg-Id", version3Id);
            connection.jetStream().publish(natsSubject(this.natsIn, BINARY_KEY), binary, body(BINARY_KEY, 1));
            connection.jetStream()
                .publish(natsSubject(this.natsIn, STRUCTURED_KEY), structured,
                        envelope(structuredId, 2, STRUCTURED_KEY, 2));
            PublishAck version3 = connection.jetStream()
                .publish(natsSubject(this.natsIn, VERSION_3_KEY), structuredVersion3, version3Envelope);

            assertHandled(awaitHandled(consumer, UUID.fromString(binaryId)), UUID.fromString(binaryId), BINARY_KEY, 1,
                    Instant.parse(BINARY_TIME));
            assertHandled(awaitHandled(consumer, eventId(SOURCE, structuredId)), eventId(SOURCE, structuredId),
                    STRUCTURED_KEY, 2, OffsetDateTime.parse(STRUCTURED_TIME).toInstant());
            MessageInfo deadLetter = await().atMost(TIMEOUT)
                .ignoreExceptions()
                .until(() -> natsMessageWithEnvelopeId(management, deadLetterStream, version3Id), Objects::nonNull);
            assertThat(deadLetter.getSubject()).isEqualTo(this.natsIn + "-dlt");
            assertThat(deadLetter.getData()).containsExactly(version3Envelope);
            Headers headers = deadLetter.getHeaders();
            assertThat(natsHeader(headers, "content-type")).isEqualTo(STRUCTURED);
            assertUnsupportedVersionCause(natsHeader(headers, "eventbus-dlt-exception-fqcn"),
                    natsHeader(headers, "eventbus-dlt-exception-message"));
            assertThat(natsHeader(headers, "eventbus-dlt-exception-message")).doesNotContain("\n", "\r")
                .hasSizeLessThanOrEqualTo(2000);
            assertThat(natsHeader(headers, "eventbus-dlt-group")).isEqualTo(GROUP);
            assertThat(natsHeader(headers, "eventbus-dlt-partition"))
                .isEqualTo(Integer.toString(partition(VERSION_3_KEY, PARTITIONS)));
            assertThat(natsHeader(headers, "eventbus-attempts")).isEqualTo("1");
            assertThat(headers.get("Nats-Msg-Id"))
                .containsExactly("dlt-" + GROUP + "-" + this.natsIn + "-" + version3.getSeqno());
            assertNeverHandled(consumer, UUID.fromString(version3Id));
        }
    }

    @Test
    void natsEventOfAnEventbusPublisherReachesAForeignConsumerAsTheDocumentDescribes() throws Exception {
        this.natsTopics.add(this.natsOut);
        String stream = this.natsOut.replace('.', '_');
        try (TestDatabase database = TestDatabases.embeddedPostgres();
                ConfigurableApplicationContext publisher = KitApplications.publisher(database, nats(), this.natsOut,
                        true);
                io.nats.client.Connection connection = Nats.connect(NATS_URL)) {
            JetStreamManagement management = connection.jetStreamManagement();
            Instant before = Instant.now();
            UUID eventId = publisher.getBean(OrderService.class).place(new OrderPlaced(PUBLISHED_KEY, 1));
            Instant after = Instant.now();

            String subject = natsSubject(this.natsOut, PUBLISHED_KEY);
            MessageInfo message = await().atMost(TIMEOUT)
                .ignoreExceptions()
                .until(() -> management.getLastMessage(stream, subject), Objects::nonNull);
            StreamConfiguration configuration = management.getStreamInfo(stream).getConfiguration();
            assertThat(configuration.getSubjects()).containsExactly(this.natsOut + ".*");
            assertThat(configuration.getDescription())
                .isEqualTo("eventbus topic " + this.natsOut + ", " + PARTITIONS + " partitions");
            assertThat(message.getSubject()).isEqualTo(subject);
            Headers headers = message.getHeaders();
            assertThat(natsHeader(headers, "ce-specversion")).isEqualTo("1.0");
            assertPublishedId(natsHeader(headers, "ce-id"), eventId);
            assertThat(natsHeader(headers, "ce-source")).isEqualTo(PUBLISHER_SOURCE);
            assertThat(natsHeader(headers, "ce-type")).isEqualTo(TYPE);
            assertPublishedTime(natsHeader(headers, "ce-time"), before, after);
            assertThat(natsHeader(headers, "ce-eventversion")).isEqualTo("2");
            assertThat(natsHeader(headers, "content-type")).isEqualTo("application/json");
            assertThat(headers.getFirst("ce-partitionkey")).as("as it travels").isEqualTo("Zo%C3%AB-3");
            assertThat(natsHeader(headers, "ce-partitionkey")).isEqualTo(PUBLISHED_KEY);
            assertThat(headers.getFirst("Nats-Msg-Id")).isEqualTo(eventId.toString());
            assertPublishedBody(message.getData());
        }
    }

    // What a foreign producer writes

    private static Map<String, String> binaryAttributes(String id) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("specversion", "1.0");
        attributes.put("id", id);
        attributes.put("source", SOURCE);
        attributes.put("type", TYPE);
        attributes.put("time", BINARY_TIME);
        attributes.put("eventversion", "2");
        return attributes;
    }

    private static Map<String, Object> data(String orderId, int sequence) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("orderId", orderId);
        data.put("sequence", sequence);
        data.put("note", "");
        return data;
    }

    private static byte[] body(String orderId, int sequence) {
        return JSON.writeValueAsBytes(data(orderId, sequence));
    }

    private static byte[] envelope(String id, int version, String key, int sequence) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("specversion", "1.0");
        envelope.put("id", id);
        envelope.put("source", SOURCE);
        envelope.put("type", TYPE);
        envelope.put("time", STRUCTURED_TIME);
        envelope.put("eventversion", version);
        envelope.put("partitionkey", key);
        envelope.put("datacontenttype", "application/json");
        envelope.put("data", data(key, sequence));
        return JSON.writeValueAsBytes(envelope);
    }

    private static String envelopeId(byte[] body) {
        JsonNode id = JSON.readTree(body).get("id");
        return (id != null && id.isString()) ? id.asString() : null;
    }

    // What an eventbus consumer application did

    private static OrderHandlers.Handled awaitHandled(ConfigurableApplicationContext consumer, UUID eventId) {
        JdbcTemplate jdbc = consumer.getBean(JdbcTemplate.class);
        await().atMost(TIMEOUT)
            .until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM handled_order WHERE event_id = ?", Integer.class,
                    eventId.toString()) > 0);
        return consumer.getBean(OrderHandlers.class)
            .handled()
            .stream()
            .filter((handled) -> handled.metadata().id().equals(eventId))
            .findFirst()
            .orElseThrow();
    }

    private static void assertHandled(OrderHandlers.Handled handled, UUID id, String key, int sequence,
            Instant time) {
        assertThat(handled.event()).isEqualTo(new OrderPlaced(key, sequence));
        assertThat(handled.metadata().id()).isEqualTo(id);
        assertThat(handled.metadata().key()).isEqualTo(key);
        assertThat(handled.metadata().version()).isEqualTo(2);
        assertThat(handled.metadata().type()).isEqualTo(TYPE);
        assertThat(handled.metadata().source()).isEqualTo(SOURCE);
        assertThat(handled.metadata().occurredAt()).isEqualTo(time);
    }

    private static void assertNeverHandled(ConfigurableApplicationContext consumer, UUID eventId) {
        assertThat(consumer.getBean(OrderHandlers.class).handled())
            .noneMatch((handled) -> handled.metadata().id().equals(eventId));
    }

    private static void assertUnsupportedVersionCause(String exceptionClass, String message) {
        assertThat(exceptionClass).isEqualTo(UNSUPPORTED_VERSION);
        assertThat(message).contains(TYPE, "has version 3", GROUP);
    }

    // What an eventbus publisher application wrote

    private static void assertPublishedId(String id, UUID eventId) {
        assertThat(id).isEqualTo(eventId.toString()).isEqualTo(id.toLowerCase(Locale.ROOT));
        assertThat(UUID.fromString(id).version()).isEqualTo(7);
    }

    private static Instant assertPublishedTime(String time, Instant before, Instant after) {
        assertThat(time).matches(EVENTBUS_TIME);
        Instant instant = OffsetDateTime.parse(time, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        assertThat(instant).isBetween(before.minusSeconds(1), after.plusSeconds(1));
        return instant;
    }

    private static void assertPublishedBody(byte[] body) {
        JsonNode json = JSON.readTree(body);
        assertThat(json.isObject()).isTrue();
        assertThat(json.size()).isEqualTo(3);
        assertThat(json.get("orderId").asString()).isEqualTo(PUBLISHED_KEY);
        assertThat(json.get("sequence").isInt()).isTrue();
        assertThat(json.get("sequence").asInt()).isEqualTo(1);
        assertThat(json.get("note").asString()).isEmpty();
    }

    // Kafka with the raw client

    private static KitTransport kafka() {
        return new Broker("kafka", Map.of("spring.kafka.bootstrap-servers", TestKafka.bootstrapServers(),
                "spring.kafka.consumer.properties.session.timeout.ms", "6000",
                "spring.kafka.consumer.properties.heartbeat.interval.ms", "1000"));
    }

    private void createKafkaTopic(String topic) {
        this.kafkaTopics.add(topic);
        TestKafka.createTopic(TestKafka.bootstrapServers(), topic, KAFKA_PARTITIONS);
    }

    /**
     * Waits until the eventbus group has all partitions of a topic, so that nothing sent afterwards
     * falls before where it starts reading.
     */
    private static void awaitKafkaPartitionsAssigned(String group, String topic) {
        try (Admin admin = kafkaAdmin()) {
            await().atMost(TIMEOUT)
                .ignoreExceptions()
                .until(() -> assignedPartitions(admin, group, topic) == KAFKA_PARTITIONS);
        }
    }

    private static Admin kafkaAdmin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()));
    }

    private static long assignedPartitions(Admin admin, String group, String topic) throws Exception {
        ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group))
            .describedGroups()
            .get(group)
            .get();
        return description.members()
            .stream()
            .flatMap((member) -> member.assignment().topicPartitions().stream())
            .filter((partition) -> partition.topic().equals(topic))
            .count();
    }

    /**
     * Sends a record to the partition the document's formula gives for its key, with UTF-8 header values.
     */
    private static RecordMetadata produceToKafka(String topic, String key, byte[] value, Map<String, String> headers)
            throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, partition(key, KAFKA_PARTITIONS),
                    utf8(key), value);
            headers.forEach((name, headerValue) -> record.headers().add(name, utf8(headerValue)));
            return producer.send(record).get();
        }
    }

    private static byte[] kafkaHeaderBytes(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return (header != null) ? header.value() : null;
    }

    private static String kafkaHeader(ConsumerRecord<?, ?> record, String name) {
        byte[] value = kafkaHeaderBytes(record, name);
        return (value != null) ? new String(value, StandardCharsets.UTF_8) : null;
    }

    private static Predicate<ConsumerRecord<String, byte[]>> hasEnvelopeId(String id) {
        return (record) -> id.equals(envelopeId(record.value()));
    }

    private void deleteKafkaTopics() {
        if (this.kafkaTopics.isEmpty()) {
            return;
        }
        List<String> topics = new ArrayList<>();
        for (String topic : this.kafkaTopics) {
            topics.add(topic);
            topics.add(topic + "-dlt");
        }
        try (Admin admin = kafkaAdmin()) {
            for (String topic : topics) {
                try {
                    admin.deleteTopics(List.of(topic)).all().get();
                }
                catch (Exception ex) {
                    // not created
                }
            }
        }
    }

    // RabbitMQ with the raw client

    private static KitTransport rabbitMq() {
        return new Broker("rabbitmq",
                Map.of("spring.rabbitmq.host", RABBIT_HOST, "spring.rabbitmq.port", Integer.toString(RABBIT_PORT)));
    }

    private static com.rabbitmq.client.Connection rabbitConnection() throws IOException, TimeoutException {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(RABBIT_HOST);
        factory.setPort(RABBIT_PORT);
        factory.setUsername("guest");
        factory.setPassword("guest");
        return factory.newConnection();
    }

    private static String routingKey(String key) {
        return Integer.toString(partition(key, PARTITIONS));
    }

    private static String rabbitQueue(String topic, String group, int partition) {
        return topic + "." + group + "." + partition;
    }

    private static List<String> rabbitQueues(String topic, String group) {
        List<String> queues = new ArrayList<>();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            queues.add(rabbitQueue(topic, group, partition));
        }
        return queues;
    }

    /**
     * Whether a queue exists, asked with a passive declaration on a channel of its own, which the
     * broker closes when the queue does not exist.
     */
    private static boolean rabbitQueueExists(com.rabbitmq.client.Connection connection, String queue) {
        try (Channel channel = connection.createChannel()) {
            channel.queueDeclarePassive(queue);
            return true;
        }
        catch (IOException | TimeoutException | RuntimeException ex) {
            return false;
        }
    }

    private static GetResponse rabbitMessageWithEnvelopeId(Channel channel, String queue, String id)
            throws IOException {
        GetResponse response;
        while ((response = channel.basicGet(queue, true)) != null) {
            if (id.equals(envelopeId(response.getBody()))) {
                return response;
            }
        }
        return null;
    }

    private void deleteRabbitTopology() {
        if (this.rabbitTopics.isEmpty()) {
            return;
        }
        try (com.rabbitmq.client.Connection connection = rabbitConnection()) {
            for (String topic : this.rabbitTopics) {
                List<String> queues = new ArrayList<>(rabbitQueues(topic, GROUP));
                queues.addAll(rabbitQueues(topic, FOREIGN_GROUP));
                queues.add(topic + "-dlt");
                for (String queue : queues) {
                    try (Channel channel = connection.createChannel()) {
                        channel.queueDelete(queue);
                    }
                    catch (IOException | TimeoutException | RuntimeException ex) {
                        // not declared
                    }
                }
                try (Channel channel = connection.createChannel()) {
                    channel.exchangeDelete(topic);
                }
                catch (IOException | TimeoutException | RuntimeException ex) {
                    // not declared
                }
            }
        }
        catch (IOException | TimeoutException ex) {
            System.err.println("Could not clean up RabbitMQ: " + ex.getMessage());
        }
    }

    // NATS JetStream with the raw client

    private static KitTransport nats() {
        return new Broker("nats", Map.of("eventbus.nats.url", NATS_URL));
    }

    private static String natsSubject(String topic, String key) {
        return topic + "." + partition(key, PARTITIONS);
    }

    /** The first value of a header, percent-decoded when the message says it is encoded. */
    private static String natsHeader(Headers headers, String name) {
        String value = headers.getFirst(name);
        return (value != null && "percent".equals(headers.getFirst("eventbus-encoding"))) ? percentDecode(value)
                : value;
    }

    private static MessageInfo natsMessageWithEnvelopeId(JetStreamManagement management, String stream, String id)
            throws IOException, JetStreamApiException {
        StreamState state = management.getStreamInfo(stream).getStreamState();
        for (long sequence = state.getFirstSequence(); sequence <= state.getLastSequence(); sequence++) {
            try {
                MessageInfo message = management.getMessage(stream, sequence);
                if (id.equals(envelopeId(message.getData()))) {
                    return message;
                }
            }
            catch (JetStreamApiException ex) {
                // no message of that sequence
            }
        }
        return null;
    }

    private void deleteNatsStreams() {
        if (this.natsTopics.isEmpty()) {
            return;
        }
        try (io.nats.client.Connection connection = Nats.connect(NATS_URL)) {
            JetStreamManagement management = connection.jetStreamManagement();
            for (String topic : this.natsTopics) {
                String stream = topic.replace('.', '_');
                for (String name : List.of(stream, stream + "-dlt")) {
                    try {
                        management.deleteStream(name);
                    }
                    catch (IOException | JetStreamApiException ex) {
                        // not created
                    }
                }
            }
        }
        catch (IOException ex) {
            System.err.println("Could not clean up NATS: " + ex.getMessage());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    // The document's functions, written from its pseudo-code and prose

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Kafka's murmur2, from section 2's pseudo-code: Java's {@code int} arithmetic keeps the low 32
     * bits of a multiplication, {@code >>>} shifts in zeros, bytes are made unsigned with {@code & 0xff}.
     */
    static int murmur2(byte[] data) {
        int seed = 0x9747b28c;
        int m = 0x5bd1e995;
        int r = 24;
        int n = data.length;
        int h = seed ^ n;
        int i = 0;
        while (i + 4 <= n) {
            int k = (data[i] & 0xff) | (data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff) << 16
                    | (data[i + 3] & 0xff) << 24;
            k = k * m;
            k = k ^ (k >>> r);
            k = k * m;
            h = h * m;
            h = h ^ k;
            i = i + 4;
        }
        int rest = n - i;
        if (rest >= 3) {
            h = h ^ ((data[i + 2] & 0xff) << 16);
        }
        if (rest >= 2) {
            h = h ^ ((data[i + 1] & 0xff) << 8);
        }
        if (rest >= 1) {
            h = h ^ (data[i] & 0xff);
            h = h * m;
        }
        h = h ^ (h >>> 13);
        h = h * m;
        h = h ^ (h >>> 15);
        return h;
    }

    static int partition(String key, int partitions) {
        return (murmur2(utf8(key)) & 0x7fffffff) % partitions;
    }

    /**
     * The UUID handlers see for a CloudEvents id, from section 7: the id itself if it is a UUID,
     * else the name-based UUID (version 3) of {@code source + "\n" + id}.
     */
    static UUID eventId(String source, String id) {
        if (UUID_FORM.matcher(id).matches()) {
            return UUID.fromString(id);
        }
        byte[] md5;
        try {
            md5 = MessageDigest.getInstance("MD5").digest(utf8(source + "\n" + id));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
        md5[6] = (byte) ((md5[6] & 0x0f) | 0x30);
        md5[8] = (byte) ((md5[8] & 0x3f) | 0x80);
        ByteBuffer buffer = ByteBuffer.wrap(md5);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    /**
     * A NATS header value, from section 5: printable ASCII other than {@code %} as it is, every other
     * byte of the UTF-8 form as {@code %XX} with upper-case hex.
     */
    static String percentEncode(String value) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : utf8(value)) {
            int c = b & 0xff;
            if (c >= 0x20 && c <= 0x7e && c != '%') {
                encoded.append((char) c);
            }
            else {
                encoded.append('%').append(String.format("%02X", c));
            }
        }
        return encoded.toString();
    }

    /**
     * Decodes every {@code %XX} of a NATS header value; a {@code %} not followed by two hex digits
     * stays as it is.
     */
    static String percentDecode(String value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '%' && i + 2 < value.length() && isHexDigit(value.charAt(i + 1))
                    && isHexDigit(value.charAt(i + 2))) {
                bytes.write(Integer.parseInt(value.substring(i + 1, i + 3), 16));
                i = i + 3;
            }
            else {
                bytes.writeBytes(utf8(String.valueOf(c)));
                i = i + 1;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHexDigit(char c) {
        return "0123456789abcdefABCDEF".indexOf(c) >= 0;
    }

    private record PartitionVector(String key, int of3, int of16, int of64) {
    }

    /**
     * What {@link KitApplications} needs of a broker: the value of {@code eventbus.transport} and
     * the properties that reach it. This test reads and writes the broker itself.
     */
    private record Broker(String name, Map<String, String> applicationProperties) implements KitTransport {

        @Override
        public void createTopic(String topic) {
            throw new UnsupportedOperationException("The test creates its topics itself");
        }

        @Override
        public void send(String topic, String key, byte[] body, Map<String, String> attributes) {
            throw new UnsupportedOperationException("The test writes with the raw client");
        }

        @Override
        public void sendStructured(String topic, String key, byte[] envelope) {
            throw new UnsupportedOperationException("The test writes with the raw client");
        }

        @Override
        public List<KitTransport.KitMessage> awaitMessages(String topic,
                Predicate<List<KitTransport.KitMessage>> until, Duration timeout) {
            throw new UnsupportedOperationException("The test reads with the raw client");
        }

        @Override
        public List<KitTransport.KitMessage> awaitDeadLetters(String topic,
                Predicate<List<KitTransport.KitMessage>> until, Duration timeout) {
            throw new UnsupportedOperationException("The test reads with the raw client");
        }

    }

}
