package dev.eventbus.kafka;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serializer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Builds eventbus's Kafka clients from the application's {@code spring.kafka.*} settings and its
 * factory customizers, so that what Boot applies to its own clients (Micrometer's client metrics,
 * SSL set by a customizer, …) applies to eventbus's too: producers (relay, dead letter, replay)
 * with the guarantees of {@link IdempotentProducers}, and the consumers of the listener containers.
 */
final class KafkaClients {

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
