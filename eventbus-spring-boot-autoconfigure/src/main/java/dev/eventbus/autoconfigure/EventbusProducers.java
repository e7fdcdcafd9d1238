package dev.eventbus.autoconfigure;

import dev.eventbus.relay.IdempotentProducers;
import org.apache.kafka.common.serialization.Serializer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Builds eventbus's producers (relay, dead letter, replay) from the application's
 * {@code spring.kafka.producer.*} settings and its producer factory customizers, with the
 * guarantees of {@link IdempotentProducers}.
 */
final class EventbusProducers {

    private EventbusProducers() {
    }

    static <K, V> KafkaTemplate<K, V> template(KafkaProperties kafkaProperties,
            ObjectProvider<DefaultKafkaProducerFactoryCustomizer> customizers, String clientId,
            Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        DefaultKafkaProducerFactory<K, V> producerFactory = IdempotentProducers
            .create(kafkaProperties.buildProducerProperties(), clientId, keySerializer, valueSerializer);
        customizers.orderedStream().forEach((customizer) -> customizer.customize(producerFactory));
        return new KafkaTemplate<>(producerFactory);
    }

}
