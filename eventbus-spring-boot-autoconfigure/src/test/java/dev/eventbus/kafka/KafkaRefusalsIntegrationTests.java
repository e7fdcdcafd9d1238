package dev.eventbus.kafka;

import java.util.Map;

import dev.eventbus.testsupport.TestKafka;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.core.KafkaProducerException;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaRefusalsIntegrationTests {

    private final KafkaRefusals refusals = new KafkaRefusals(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()));

    @Test
    void recordTooLargeAndNotAuthorizedAreRefusalsForGoodAlsoWhenWrapped() {
        assertThat(this.refusals.isForGood(new KafkaProducerException(null, "send failed",
                new RecordTooLargeException("too large")), "any")).isTrue();
        assertThat(this.refusals.isForGood(new TopicAuthorizationException("denied"), "any")).isTrue();
    }

    @Test
    void metadataTimeoutIsARefusalOnlyWhenTheBrokerSaysTheTopicDoesNotExist() {
        String existing = TestKafka.uniqueTopic("existing");
        TestKafka.createTopic(TestKafka.bootstrapServers(), existing, 1);
        TimeoutException timeout = new TimeoutException("Topic t not present in metadata after 10000 ms.");

        assertThat(this.refusals.isForGood(timeout, TestKafka.uniqueTopic("missing"))).isTrue();
        assertThat(this.refusals.isForGood(timeout, existing)).isFalse();
        assertThat(new KafkaRefusals(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1"))
            .isForGood(timeout, "unknown-while-broker-away")).isFalse();
        assertThat(this.refusals.isForGood(new TimeoutException("Expiring 3 record(s)"), "any")).isFalse();
    }

}
