package dev.eventbus.wire;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * The partitions of a topic on brokers that have none of their own (RabbitMQ, NATS): the
 * partition of a keyed event is Kafka's default for keyed records,
 * {@code toPositive(murmur2(utf8(key))) % partitions}, so an event lands in the same partition
 * number on every transport; events without a key are spread evenly.
 */
public final class Partitions {

    private final int count;

    private final AtomicInteger unkeyed = new AtomicInteger();

    /**
     * Creates the partitioning of a topic.
     * @param count the number of partitions, from 1
     */
    public Partitions(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("A topic needs at least one partition, not " + count);
        }
        this.count = count;
    }

    /**
     * The number of partitions.
     * @return the count
     */
    public int count() {
        return this.count;
    }

    /**
     * The partition of an event.
     * @param key the event key, or {@code null}
     * @return a partition from 0 to {@link #count()} - 1
     */
    public int of(@Nullable String key) {
        if (key == null) {
            return Math.floorMod(this.unkeyed.getAndIncrement(), this.count);
        }
        return (murmur2(key.getBytes(StandardCharsets.UTF_8)) & 0x7fffffff) % this.count;
    }

    /**
     * Kafka's 32-bit murmur2 hash with its seed.
     * @param data the bytes
     * @return the hash
     */
    static int murmur2(byte[] data) {
        int length = data.length;
        int seed = 0x9747b28c;
        int m = 0x5bd1e995;
        int r = 24;
        int h = seed ^ length;
        int fours = length / 4;
        for (int i = 0; i < fours; i++) {
            int offset = i * 4;
            int k = (data[offset] & 0xff) + ((data[offset + 1] & 0xff) << 8) + ((data[offset + 2] & 0xff) << 16)
                    + ((data[offset + 3] & 0xff) << 24);
            k *= m;
            k ^= k >>> r;
            k *= m;
            h *= m;
            h ^= k;
        }
        int tail = fours * 4;
        switch (length % 4) {
            case 3:
                h ^= (data[tail + 2] & 0xff) << 16;
            case 2:
                h ^= (data[tail + 1] & 0xff) << 8;
            case 1:
                h ^= data[tail] & 0xff;
                h *= m;
            default:
        }
        h ^= h >>> 13;
        h *= m;
        h ^= h >>> 15;
        return h;
    }

}
