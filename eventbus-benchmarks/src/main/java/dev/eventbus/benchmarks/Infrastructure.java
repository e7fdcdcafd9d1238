package dev.eventbus.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import dev.eventbus.testsupport.KafkaBrokerProcess;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;
import dev.eventbus.testsupport.TestKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The broker (a separate JVM from Apache Kafka's server classes), PostgreSQL (embedded binaries)
 * and the application contexts the scenarios measure.
 */
final class Infrastructure implements AutoCloseable {

    final KafkaBrokerProcess broker = KafkaBrokerProcess.start();

    TestDatabase newDatabase() {
        return TestDatabases.embeddedPostgres();
    }

    /**
     * A database on the machine's own PostgreSQL server, which, unlike the embedded binaries,
     * flushes its commits to disk.
     * @return the database, or {@code null} if no server answers on 127.0.0.1:5432
     */
    @Nullable TestDatabase newServerDatabase() {
        try {
            return TestDatabases.localPostgres();
        }
        catch (RuntimeException ex) {
            System.out.println("  no PostgreSQL server on 127.0.0.1:5432: " + ex.getMessage());
            return null;
        }
    }

    String newTopic(String prefix, int partitions) {
        String topic = TestKafka.uniqueTopic(prefix);
        TestKafka.createTopic(this.broker.bootstrapServers(), topic, partitions);
        return topic;
    }

    ConfigurableApplicationContext start(TestDatabase database, String topic, String... extra) {
        return start(BenchmarkApplication.class, database, topic, List.of(extra));
    }

    /**
     * Starts Spring Modulith's application with eventbus switched off and the registry's table
     * created.
     */
    ConfigurableApplicationContext startModulith(TestDatabase database, String topic, String... extra) {
        List<String> arguments = new ArrayList<>(List.of("--eventbus.enabled=false",
                "--spring.modulith.events.jdbc.schema-initialization.enabled=true"));
        arguments.addAll(List.of(extra));
        return start(ModulithApplication.class, database, topic, arguments);
    }

    private ConfigurableApplicationContext start(Class<?> application, TestDatabase database, String topic,
            List<String> extra) {
        return new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
            .run(arguments(database, topic, extra).toArray(String[]::new));
    }

    /**
     * The command line of an application on the database and topic, for one started in this JVM
     * or in a child JVM.
     */
    List<String> arguments(TestDatabase database, String topic, List<String> extra) {
        List<String> arguments = database.commandLineArguments();
        arguments.add("--spring.kafka.bootstrap-servers=" + this.broker.bootstrapServers());
        arguments.add("--spring.application.name=benchmark");
        arguments.add("--spring.main.banner-mode=off");
        arguments.add("--eventbus.topics[benchmark.measured]=" + topic);
        arguments.add("--benchmark.topic=" + topic);
        if (extra.stream().noneMatch((argument) -> argument.startsWith("--eventbus.transport="))) {
            arguments.add("--eventbus.transport=kafka");
        }
        arguments.addAll(extra);
        return arguments;
    }

    KafkaProducer<String, byte[]> rawProducer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new ByteArraySerializer());
    }

    static ProducerRecord<String, byte[]> cloudEvent(String topic, long sequence) {
        Measured event = Measured.of(sequence);
        String json = "{\"key\":\"" + event.key() + "\",\"sequence\":" + sequence + ",\"committedNanos\":"
                + event.committedNanos() + ",\"padding\":\"" + Measured.PADDING + "\"}";
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, event.key(),
                json.getBytes(StandardCharsets.UTF_8));
        header(record, "ce_specversion", "1.0");
        header(record, "ce_id", UUID.randomUUID().toString());
        header(record, "ce_source", "benchmark");
        header(record, "ce_type", "benchmark.measured");
        header(record, "ce_time", "2026-11-22T00:00:00Z");
        header(record, "ce_eventversion", "1");
        header(record, "content-type", "application/json");
        return record;
    }

    static int pending(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM eventbus_outbox WHERE published_at IS NULL", Integer.class);
    }

    /**
     * Polls until a condition holds.
     * @param what what is awaited, for the message
     * @param done the condition
     * @param pollMillis the pause between polls
     * @throws IllegalStateException if it does not hold within ten minutes
     */
    static void await(String what, BooleanSupplier done, long pollMillis) {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Gave up waiting for " + what + " after ten minutes");
            }
            sleep(pollMillis);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    static void header(ProducerRecord<?, ?> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        this.broker.close();
    }

}
