package dev.eventbus.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.eventbus.consumertest.ConsumerTestApplication;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;
import dev.eventbus.testsupport.TestKafka;
import dev.eventbus.testapp.OrderPlaced;
import dev.eventbus.testapp.OrderService;
import dev.eventbus.testapp.TestApplication;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What only the Kafka transport does: containers built on Spring Boot's and spring-kafka's own
 * machinery, Kafka client metrics, and spring-kafka's dead-letter headers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaTransportIntegrationTests {

    static final String GROUP = "kafka-only";

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    TestDatabase database;

    String topic;

    ConfigurableApplicationContext publisher;

    ConfigurableApplicationContext consumer;

    @BeforeAll
    void start() {
        this.database = TestDatabases.embeddedPostgres();
        this.topic = TestKafka.uniqueTopic("kafka-only");
        TestKafka.createTopic(TestKafka.bootstrapServers(), this.topic, 3);
        this.publisher = new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE)
            .run(arguments("order-service").toArray(String[]::new));
        List<String> consumerArguments = arguments("consumer-test");
        consumerArguments.add("--eventbus.consumer.group=" + GROUP);
        consumerArguments.add("--eventbus.consumer.retry.initial-backoff=10ms");
        consumerArguments.add("--eventbus.outbox.relay.enabled=false");
        consumerArguments.add("--spring.kafka.listener.idle-between-polls=7ms");
        consumerArguments.add("--spring.kafka.listener.ack-mode=record");
        consumerArguments.add("--eventbus.consumer.groups." + GROUP + ".concurrency=2");
        this.consumer = new SpringApplicationBuilder(ConsumerTestApplication.class, CustomizedContainers.class)
            .web(WebApplicationType.NONE)
            .run(consumerArguments.toArray(String[]::new));
    }

    private List<String> arguments(String applicationName) {
        List<String> arguments = this.database.commandLineArguments();
        arguments.add("--spring.application.name=" + applicationName);
        arguments.add("--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers());
        arguments.add("--eventbus.topics[test.order-placed]=" + this.topic);
        return arguments;
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
    void containerIsRegisteredUnderItsIdAndCanBePausedAndResumedWhileTheLagGaugeFollows() {
        MessageListenerContainer container = this.consumer.getBean(KafkaListenerEndpointRegistry.class)
            .getListenerContainer("eventbus-" + GROUP + "-" + this.topic);
        assertThat(container).isNotNull();
        assertThat(container.isRunning()).isTrue();
        assertThat(this.consumer.getBean(KafkaListenerContainers.class).container(container.getListenerId()))
            .isSameAs(container);

        container.pause();
        await().atMost(TIMEOUT).until(container::isContainerPaused);
        UUID eventId = this.publisher.getBean(OrderService.class).place(new OrderPlaced("paused-1", 1));
        await().atMost(TIMEOUT).until(() -> publishedAt(eventId));
        await().atMost(TIMEOUT).until(() -> lag() >= 1);
        assertThat(handledRows(eventId)).isZero();
        container.resume();

        await().atMost(TIMEOUT).until(() -> handledRows(eventId) == 1);
        await().atMost(TIMEOUT).until(() -> lag() == 0);
    }

    @Test
    void springKafkaListenerPropertiesAndTheContainerCustomizerApplyWhileEventbusKeepsItsAckMode() {
        ConcurrentMessageListenerContainer<?, ?> container = this.consumer.getBean(KafkaListenerContainers.class)
            .container("eventbus-" + GROUP + "-" + this.topic);

        assertThat(container.getContainerProperties().getIdleBetweenPolls()).isEqualTo(7);
        assertThat(container.getConcurrency()).as("eventbus.consumer.groups.<group>.concurrency").isEqualTo(2);
        assertThat(container.getContainerProperties().getAckMode()).isEqualTo(ContainerProperties.AckMode.BATCH);
        assertThat(this.consumer.getBean(CustomizedContainers.class).customized).contains(container.getListenerId());
    }

    @Test
    void consumerLagAndProducerMetricsOfEventbusClientsAreInTheMeterRegistry() {
        UUID eventId = this.publisher.getBean(OrderService.class).place(new OrderPlaced("metered-1", 1));
        await().atMost(TIMEOUT).until(() -> handledRows(eventId) == 1);

        await().atMost(TIMEOUT)
            .untilAsserted(() -> assertThat(eventbusClientMeters(this.consumer, "kafka.consumer.fetch.manager.records.lag"))
                .isNotEmpty());
        assertThat(eventbusClientMeters(this.publisher, "kafka.producer.record.send.total")).isNotEmpty();
    }

    @Test
    void deadLetterCarriesSpringKafkaHeadersOfItsCauseAndOrigin() {
        UUID failing = this.publisher.getBean(OrderService.class).place(new OrderPlaced("dlt-1", 1, "fail"));

        List<ConsumerRecord<String, byte[]>> deadLetters = TestKafka.readUntil(TestKafka.bootstrapServers(),
                this.topic + "-dlt", (read) -> read.stream().anyMatch((record) -> "dlt-1".equals(record.key())),
                TIMEOUT);

        ConsumerRecord<String, byte[]> deadLetter = deadLetters.stream()
            .filter((record) -> "dlt-1".equals(record.key()))
            .findFirst()
            .orElseThrow();
        assertThat(header(deadLetter, "ce_id")).isEqualTo(failing.toString());
        assertThat(header(deadLetter, "kafka_dlt-original-topic")).isEqualTo(this.topic);
        assertThat(header(deadLetter, "kafka_dlt-original-consumer-group")).isEqualTo(GROUP);
        assertThat(header(deadLetter, "kafka_dlt-exception-fqcn")).isEqualTo(IllegalStateException.class.getName());
        assertThat(header(deadLetter, "eventbus-attempts")).isEqualTo("3");
    }

    @Test
    void replayStopsReadingAtItsLimit() throws Exception {
        String deadLetterTopic = this.topic + "-dlt";
        List<String> ids = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                UUID.randomUUID().toString());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String id : ids) {
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(deadLetterTopic, null,
                        "replayed".getBytes(StandardCharsets.UTF_8),
                        "{\"orderId\":\"replayed\",\"sequence\":1,\"note\":\"\"}".getBytes(StandardCharsets.UTF_8));
                record.headers().add("ce_id", id.getBytes(StandardCharsets.UTF_8));
                producer.send(record).get();
            }
        }
        KafkaDeadLetterReplayer replayer = this.consumer.getBean(KafkaDeadLetterReplayer.class);

        assertThat(replayer.replay(this.topic, null, null, 2)).isEqualTo(2);
        assertThat(replayer.replay(this.topic, null, Set.of(ids.get(2)), null)).isOne();
        assertThat(replayer.replay(this.topic, null, Set.of("no-such-id"), null)).isZero();
    }

    private static List<Meter> eventbusClientMeters(ConfigurableApplicationContext context, String namePrefix) {
        return context.getBean(MeterRegistry.class)
            .getMeters()
            .stream()
            .filter((meter) -> meter.getId().getName().startsWith(namePrefix))
            .filter((meter) -> {
                String clientId = meter.getId().getTag("client.id");
                return clientId != null && clientId.startsWith("eventbus-");
            })
            .toList();
    }

    private double lag() {
        return this.consumer.getBean(MeterRegistry.class)
            .get("eventbus.consumer.lag")
            .tag("group", GROUP)
            .tag("topic", this.topic)
            .gauge()
            .value();
    }

    private boolean publishedAt(UUID eventId) {
        return Boolean.TRUE.equals(jdbc().queryForObject(
                "SELECT published_at IS NOT NULL FROM eventbus_outbox WHERE event_id = ?", Boolean.class, eventId));
    }

    private int handledRows(UUID eventId) {
        return jdbc().queryForObject("SELECT COUNT(*) FROM handled_order WHERE event_id = ?", Integer.class,
                eventId.toString());
    }

    private JdbcTemplate jdbc() {
        return this.publisher.getBean(JdbcTemplate.class);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return (header != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
    }

    @Configuration(proxyBeanMethods = false)
    static class CustomizedContainers {

        final List<String> customized = new CopyOnWriteArrayList<>();

        @Bean
        ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> recordingCustomizer() {
            return (container) -> this.customized.add(container.getListenerId());
        }

    }

}
