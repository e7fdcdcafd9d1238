package dev.eventbus.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.eventbus.transport.DeadLetterReplayer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * The replay source of the Kafka transport: sends dead-lettered records back to their original topic: all of them, those with given event
 * ids, or the first N. The records keep their key, value and CloudEvents headers, so their event
 * ids are unchanged and deduplication still holds; the dead-letter headers are removed.
 */
public class KafkaDeadLetterReplayer implements DeadLetterReplayer, AutoCloseable {

    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(1);

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private static final int MAX_IN_FLIGHT = 1_000;

    private final Map<String, Object> consumerProperties;

    private final KafkaOperations<byte[], byte[]> template;

    private final String suffix;

    /**
     * Creates a replayer.
     * @param consumerProperties the application's Kafka consumer properties
     * @param template sends the records back
     * @param suffix the dead-letter topic suffix
     */
    public KafkaDeadLetterReplayer(Map<String, Object> consumerProperties, KafkaOperations<byte[], byte[]> template,
            String suffix) {
        this.consumerProperties = consumerProperties;
        this.template = template;
        this.suffix = suffix;
    }

    /**
     * Replays while reading: the dead-letter topic is read from its beginning to the end it had
     * when the replay started, and each selected record is sent back at once, at most
     * {@value #MAX_IN_FLIGHT} unacknowledged at a time, so memory stays bounded however many dead
     * letters there are and reading stops as soon as {@code limit} records were replayed.
     */
    @Override
    public int replay(String topic, @Nullable String group, @Nullable Set<String> eventIds, @Nullable Integer limit) {
        String deadLetterTopic = topic + this.suffix;
        Map<String, Object> properties = new HashMap<>(this.consumerProperties);
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(deadLetterTopic);
            if (partitions == null || partitions.isEmpty()) {
                return 0;
            }
            List<TopicPartition> assigned = partitions.stream()
                .map((partition) -> new TopicPartition(deadLetterTopic, partition.partition()))
                .toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned);
            List<CompletableFuture<?>> inFlight = new ArrayList<>();
            int replayed = 0;
            long lastProgress = System.nanoTime();
            while (!reachedEnd(consumer, ends) && (limit == null || replayed < limit)) {
                ConsumerRecords<byte[], byte[]> polled = consumer.poll(POLL_TIMEOUT);
                if (!polled.isEmpty()) {
                    lastProgress = System.nanoTime();
                }
                else if (System.nanoTime() - lastProgress > READ_TIMEOUT.toNanos()) {
                    throw new IllegalStateException("Reading " + deadLetterTopic + " made no progress for "
                            + READ_TIMEOUT + "; " + replayed + " dead letters were replayed");
                }
                for (ConsumerRecord<byte[], byte[]> record : polled) {
                    if ((limit != null && replayed >= limit)
                            || record.offset() >= ends.get(new TopicPartition(record.topic(), record.partition()))) {
                        continue;
                    }
                    String deadLetteredBy = header(record, KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP);
                    if ((group == null || group.equals(deadLetteredBy))
                            && (eventIds == null || eventIds.contains(header(record, CloudEventHeaders.ID)))) {
                        inFlight.add(this.template.send(new ProducerRecord<>(originalTopic(record, topic), null,
                                record.key(), record.value(), originalHeaders(record, deadLetteredBy))));
                        replayed++;
                    }
                    if (inFlight.size() >= MAX_IN_FLIGHT) {
                        awaitAll(inFlight);
                    }
                }
            }
            awaitAll(inFlight);
            return replayed;
        }
    }

    private static void awaitAll(List<CompletableFuture<?>> sends) {
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
        sends.clear();
    }

    /**
     * Closes the replay producer.
     */
    @Override
    public void close() {
        IdempotentProducers.close(this.template);
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch((end) -> consumer.position(end.getKey()) >= end.getValue());
    }

    private static String originalTopic(ConsumerRecord<byte[], byte[]> record, String topic) {
        String original = header(record, KafkaHeaders.DLT_ORIGINAL_TOPIC);
        return (original != null) ? original : topic;
    }

    private static RecordHeaders originalHeaders(ConsumerRecord<byte[], byte[]> record,
            @Nullable String deadLetteredBy) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            if (!header.key().startsWith("kafka_dlt-") && !header.key().equals(KafkaDeadLetterSink.ATTEMPTS_HEADER)
                    && !header.key().equals(GROUP_HEADER)) {
                headers.add(header);
            }
        }
        if (deadLetteredBy != null) {
            headers.add(GROUP_HEADER, deadLetteredBy.getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }

    private static @Nullable String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return (header != null && header.value() != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
    }

}
