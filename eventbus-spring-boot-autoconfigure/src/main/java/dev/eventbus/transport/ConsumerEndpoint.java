package dev.eventbus.transport;

/**
 * What one subscription of a {@link ConsumerTransport} reads: a topic for a consumer group.
 *
 * @param group the consumer group
 * @param topic the eventbus topic
 * @param concurrency how many threads may consume the topic's partitions for the group in this
 * instance
 * @since 0.2.0
 */
public record ConsumerEndpoint(String group, String topic, int concurrency) {

    /**
     * The id of the subscription, such as {@code eventbus-inventory-orders}: the listener
     * container id on Kafka.
     * @return the id
     */
    public String id() {
        return "eventbus-" + this.group + "-" + this.topic;
    }

}
