package dev.eventbus.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * Reads how far a consumer group is behind on a topic, as the broker sees it: per partition, the
 * end offset minus the group's committed offset (the earliest offset where the group has none
 * yet), summed. Uses one admin client, created on first use, with short timeouts.
 */
public class KafkaLag implements AutoCloseable {

    private static final Log logger = LogFactory.getLog(KafkaLag.class);

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Map<String, Object> adminProperties;

    private @Nullable Admin admin;

    /**
     * Creates the reader.
     * @param adminProperties the application's Kafka admin client properties
     */
    public KafkaLag(Map<String, Object> adminProperties) {
        this.adminProperties = Map.copyOf(adminProperties);
    }

    /**
     * The lag of a group on a topic.
     * @param group the consumer group
     * @param topic the topic
     * @return the messages not yet committed by the group, or empty if the broker did not answer
     */
    public synchronized OptionalLong of(String group, String topic) {
        try {
            Admin client = admin();
            TopicDescription description = client.describeTopics(Set.of(topic))
                .allTopicNames()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .get(topic);
            List<TopicPartition> partitions = description.partitions()
                .stream()
                .map((partition) -> new TopicPartition(topic, partition.partition()))
                .toList();
            Map<TopicPartition, OffsetAndMetadata> committed = client.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = offsets(client, partitions,
                    OffsetSpec.latest());
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts = offsets(client, partitions,
                    OffsetSpec.earliest());
            long lag = 0;
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata offset = committed.get(partition);
                long position = (offset != null) ? offset.offset() : starts.get(partition).offset();
                lag += Math.max(0, ends.get(partition).offset() - position);
            }
            return OptionalLong.of(lag);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
        catch (ExecutionException | TimeoutException | RuntimeException ex) {
            if (logger.isDebugEnabled()) {
                logger.debug("Cannot read the lag of " + group + " on " + topic + ": " + ex.getMessage());
            }
            return OptionalLong.empty();
        }
    }

    private static Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> offsets(Admin client,
            List<TopicPartition> partitions, OffsetSpec spec)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach((partition) -> request.put(partition, spec));
        return client.listOffsets(request).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private Admin admin() {
        if (this.admin == null) {
            this.admin = KafkaClients.admin(this.adminProperties, TIMEOUT, "eventbus-lag");
        }
        return this.admin;
    }

    /**
     * Closes the admin client.
     */
    @Override
    public synchronized void close() {
        if (this.admin != null) {
            this.admin.close(Duration.ofSeconds(5));
            this.admin = null;
        }
    }

}
