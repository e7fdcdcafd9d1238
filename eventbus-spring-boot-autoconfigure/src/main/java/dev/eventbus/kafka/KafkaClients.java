package dev.eventbus.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serializer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.util.unit.DataSize;

/**
 * Builds eventbus's Kafka clients from the application's {@code spring.kafka.*} settings and its
 * factory customizers, so that what Boot applies to its own clients (Micrometer's client metrics,
 * SSL set by a customizer, …) applies to eventbus's too: producers (relay, dead letter, replay)
 * with the guarantees of {@link IdempotentProducers}, and the consumers of the listener containers.
 */
final class KafkaClients {

    private static final long DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;

    private KafkaClients() {
    }

    static <K, V> KafkaTemplate<K, V> template(KafkaProperties kafkaProperties,
            ObjectProvider<DefaultKafkaProducerFactoryCustomizer> customizers, String clientId,
            Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        DefaultKafkaProducerFactory<K, V> producerFactory = IdempotentProducers
            .create(kafkaProperties.buildProducerProperties(), clientId, keySerializer, valueSerializer);
        customizers.orderedStream().forEach((customizer) -> customizer.customize(producerFactory));
        return new KafkaTemplate<>(producerFactory);
    }

    /**
     * Checks that an event of the largest size {@code publish} accepts fits the producer's limit.
     * @throws IllegalStateException naming both settings if it does not
     */
    static void checkPayloadFits(DataSize maxPayloadSize, KafkaTemplate<?, ?> template) {
        Object configured = template.getProducerFactory().getConfigurationProperties()
            .get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        long maxRequestSize = (configured != null) ? Long.parseLong(configured.toString()) : DEFAULT_MAX_REQUEST_SIZE;
        if (maxPayloadSize.toBytes() > maxRequestSize) {
            throw new IllegalStateException("eventbus.outbox.max-payload-size is " + maxPayloadSize.toBytes()
                    + " bytes, more than the Kafka producer's max.request.size of " + maxRequestSize + " bytes, so"
                    + " events the outbox accepts would be refused: lower eventbus.outbox.max-payload-size or raise"
                    + " spring.kafka.producer.properties[max.request.size]");
        }
    }

    /**
     * An admin client of eventbus's own with short timeouts, for the few questions it asks the
     * broker outside the clients Boot builds.
     */
    static Admin admin(Map<String, Object> adminProperties, Duration timeout, String clientId) {
        Map<String, Object> properties = new HashMap<>(adminProperties);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        properties.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return Admin.create(properties);
    }

    static DefaultKafkaConsumerFactory<byte[], byte[]> consumerFactory(KafkaProperties kafkaProperties,
            ObjectProvider<DefaultKafkaConsumerFactoryCustomizer> customizers, String group) {
        Map<String, Object> properties = new HashMap<>(kafkaProperties.buildConsumerProperties());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        DefaultKafkaConsumerFactory<byte[], byte[]> consumerFactory = new DefaultKafkaConsumerFactory<>(properties,
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        customizers.orderedStream().forEach((customizer) -> customizer.customize(consumerFactory));
        return consumerFactory;
    }

}
