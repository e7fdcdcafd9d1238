package dev.eventbus.reliability;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.eventbus.actuate.EventbusEndpoint;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;
import dev.eventbus.testsupport.TestKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Input cannot make the consumer instantiate classes it names, and secrets from the configuration
 * reach neither the log nor the Actuator output.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecurityReliabilityTests {

    static final String JAAS_SECRET = "jaas-s3cr3t-7f3a";

    static final String DATASOURCE_SECRET = "datasource-s3cr3t-91bc";

    @Test
    void recordsNamingAGadgetClassInstantiateNothingAndSecretsStayOutOfLogsAndActuator(CapturedOutput output) {
        String topic = Reliability.newTopic(TestKafka.bootstrapServers(), "security", 1);
        try (TestDatabase database = TestDatabases.embeddedPostgres();
                ConfigurableApplicationContext worker = Reliability.startWorker(Reliability.workerArguments(database,
                        TestKafka.bootstrapServers(), topic, "--spring.datasource.password=" + DATASOURCE_SECRET,
                        "--spring.kafka.properties.sasl.jaas.config=org.apache.kafka.common.security.plain"
                                + ".PlainLoginModule required username=\"app\" password=\"" + JAAS_SECRET + "\";",
                        "--management.endpoints.web.exposure.include=health,eventbus",
                        "--logging.level.org.apache.kafka=debug", "--logging.level.dev.eventbus=debug"))) {
            String gadget = Gadget.class.getName();
            send(topic, gadget, "{\"@class\":\"" + gadget + "\",\"command\":\"touch /tmp/pwned\"}");
            send(topic, "reliability.tick", "{\"@class\":\"" + gadget + "\",\"key\":[\"" + gadget
                    + "\",{\"command\":\"x\"}],\"sequence\":1}");
            send(topic, "reliability.tick", "{\"key\":\"after\",\"sequence\":2}");
            JdbcTemplate jdbc = worker.getBean(JdbcTemplate.class);

            await().atMost(Duration.ofSeconds(60)).until(() -> Reliability.distinctEffects(jdbc) == 1);

            assertThat(Gadget.INSTANCES).hasValue(0);
            String actuator = JsonMapper.builder().build()
                .writeValueAsString(worker.getBean(EventbusEndpoint.class).status())
                    + worker.getBean("eventbusHealthIndicator", HealthIndicator.class).health(true);
            assertThat(output.getAll()).contains("sasl.jaas.config").doesNotContain(JAAS_SECRET)
                .doesNotContain(DATASOURCE_SECRET);
            assertThat(actuator).contains("pending").doesNotContain(JAAS_SECRET).doesNotContain(DATASOURCE_SECRET);
        }
    }

    private static void send(String topic, String type, String json) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, "k".getBytes(StandardCharsets.UTF_8),
                    json.getBytes(StandardCharsets.UTF_8));
            Reliability.header(record, "ce_specversion", "1.0");
            Reliability.header(record, "ce_id", UUID.randomUUID().toString());
            Reliability.header(record, "ce_source", "attacker");
            Reliability.header(record, "ce_type", type);
            producer.send(record);
        }
    }

}
