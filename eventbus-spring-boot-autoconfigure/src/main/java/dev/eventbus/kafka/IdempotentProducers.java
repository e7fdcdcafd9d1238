package dev.eventbus.kafka;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serializer;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Builds the producers eventbus sends with (the relay's, the dead-letter one, the replay one) from
 * the application's producer settings: always idempotent, acknowledged by all in-sync replicas, with at most five requests in
 * flight, so retries neither duplicate nor reorder records; it never takes part in Kafka
 * transactions. Timeouts default to values that let a round fail within half a minute when the
 * broker is away, unless the application sets them.
 */
public final class IdempotentProducers {

    private IdempotentProducers() {
    }

    /**
     * Closes the producer behind a template created from one of these factories.
     * @param template the template
     */
    public static void close(KafkaOperations<?, ?> template) {
        if (template instanceof KafkaTemplate<?, ?> kafkaTemplate
                && kafkaTemplate.getProducerFactory() instanceof DisposableBean producerFactory) {
            try {
                producerFactory.destroy();
            }
            catch (Exception ex) {
                throw new IllegalStateException("Cannot close a Kafka producer of eventbus", ex);
            }
        }
    }

    /**
     * Creates a producer factory with these guarantees.
     * @param <K> the key type
     * @param <V> the value type
     * @param producerProperties the application's producer properties
     * @param clientId the client id, unless the application sets one
     * @param keySerializer the key serializer
     * @param valueSerializer the value serializer
     * @return the factory
     */
    public static <K, V> DefaultKafkaProducerFactory<K, V> create(Map<String, Object> producerProperties,
            String clientId, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        Map<String, Object> properties = new HashMap<>(producerProperties);
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.merge(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
                (configured, limit) -> Math.min(Integer.parseInt(configured.toString()), 5));
        properties.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        properties.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
        properties.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        properties.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        properties.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        properties.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return new DefaultKafkaProducerFactory<>(properties, keySerializer, valueSerializer);
    }

}
