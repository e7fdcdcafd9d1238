package dev.eventbus.nats;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.StorageType;

/**
 * Which instance of a consumer group reads a partition: a lease per group, topic and partition in
 * the key-value bucket {@value #BUCKET}, whose entries expire {@link #TTL} after their last write.
 * NATS 2.9 has no pinned consumers, so several instances fetching from one durable consumer would
 * handle a partition's messages out of order; only the lease holder fetches. Taking and renewing
 * compare the entry's revision, so two instances never both hold a lease.
 */
public class NatsPartitionLeases {

    /** The bucket of the leases. */
    public static final String BUCKET = "eventbus-leases";

    /** How long a lease lasts without renewal. */
    public static final Duration TTL = Duration.ofSeconds(15);

    private final KeyValue bucket;

    private final String owner;

    private final Map<String, Long> held = new HashMap<>();

    /**
     * Opens the bucket, creating it when missing.
     * @param connection the connection
     * @param owner this instance's reader id
     * @param storage the bucket's storage
     * @param replicas the bucket's replicas
     */
    public NatsPartitionLeases(Connection connection, String owner, StorageType storage, int replicas) {
        this.owner = owner;
        try {
            if (!connection.keyValueManagement().getBucketNames().contains(BUCKET)) {
                try {
                    connection.keyValueManagement().create(KeyValueConfiguration.builder()
                        .name(BUCKET)
                        .ttl(TTL)
                        .maxHistoryPerKey(1)
                        .storageType(storage)
                        .replicas(replicas)
                        .build());
                }
                catch (JetStreamApiException ex) {
                    if (!connection.keyValueManagement().getBucketNames().contains(BUCKET)) {
                        throw ex;
                    }
                }
            }
            this.bucket = connection.keyValue(BUCKET);
        }
        catch (IOException | JetStreamApiException ex) {
            throw new IllegalStateException("Cannot open the key-value bucket " + BUCKET + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * The key of a partition's lease.
     * @param group the consumer group
     * @param topic the topic
     * @param partition the partition
     * @return the key
     */
    static String key(String group, String topic, int partition) {
        return (group + "." + NatsStreams.stream(topic) + "." + partition).replaceAll("[^-/_=.a-zA-Z0-9]", "_");
    }

    /**
     * Takes a lease that is free, or renews one this owner holds.
     * @param key the lease's key
     * @return the revision of the lease if this owner holds it now, else {@code -1}
     */
    public synchronized long acquire(String key) {
        byte[] value = this.owner.getBytes(StandardCharsets.UTF_8);
        long revision;
        try {
            KeyValueEntry entry = this.bucket.get(key);
            if (entry == null || entry.getOperation() != KeyValueOperation.PUT) {
                revision = this.bucket.create(key, value);
            }
            else if (this.owner.equals(entry.getValueAsString())) {
                revision = this.bucket.update(key, value, entry.getRevision());
            }
            else {
                revision = -1;
            }
        }
        catch (JetStreamApiException ex) {
            revision = -1;
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot take the lease " + key + ": " + ex.getMessage(), ex);
        }
        if (revision >= 0) {
            this.held.put(key, revision);
        }
        else {
            this.held.remove(key);
        }
        return revision;
    }

    /**
     * Whether this owner held a lease at its last renewal.
     * @param key the lease's key
     * @return {@code true} if it did
     */
    public synchronized boolean holds(String key) {
        return this.held.containsKey(key);
    }

    /**
     * Renews every lease this owner holds, at the revision it wrote last; a lease another owner
     * wrote since is lost.
     */
    public synchronized void renewAll() {
        byte[] value = this.owner.getBytes(StandardCharsets.UTF_8);
        for (Map.Entry<String, Long> lease : new ArrayList<>(this.held.entrySet())) {
            try {
                this.held.put(lease.getKey(), this.bucket.update(lease.getKey(), value, lease.getValue()));
            }
            catch (JetStreamApiException ex) {
                this.held.remove(lease.getKey());
            }
            catch (IOException ex) {
                return;
            }
        }
    }

    /**
     * Gives a lease up, if this owner holds it.
     * @param key the lease's key
     */
    public synchronized void release(String key) {
        this.held.remove(key);
        try {
            KeyValueEntry entry = this.bucket.get(key);
            if (entry != null && this.owner.equals(entry.getValueAsString())) {
                this.bucket.delete(key, entry.getRevision());
            }
        }
        catch (IOException | JetStreamApiException ex) {
            // the lease expires by itself
        }
    }

}
