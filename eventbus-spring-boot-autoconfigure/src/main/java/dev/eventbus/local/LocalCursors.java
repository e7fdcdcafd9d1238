package dev.eventbus.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

import dev.eventbus.schema.Database;
import dev.eventbus.schema.EventbusTables;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Where each consumer group stands in each partition of the {@code local} transport's log, and
 * which instance reads it: a partition's cursor is leased to one instance at a time, which renews
 * the lease while it runs, so that two instances of a group never read a partition together and
 * another takes over when one dies.
 */
public class LocalCursors {

    private final JdbcTemplate jdbcTemplate;

    private final Database database;

    private final EventbusTables tables;

    /**
     * Creates the cursors.
     * @param jdbcTemplate the outbox's data source
     * @param database the database
     * @param tables the table names
     */
    public LocalCursors(JdbcTemplate jdbcTemplate, Database database, EventbusTables tables) {
        this.jdbcTemplate = jdbcTemplate;
        this.database = database;
        this.tables = tables;
    }

    /**
     * Creates the cursors of a group in a topic that do not exist yet, at the beginning of the log.
     * @param group the consumer group
     * @param topic the topic
     * @param partitions the partitions
     */
    public void create(String group, String topic, Collection<Integer> partitions) {
        Set<Integer> existing = new HashSet<>(this.jdbcTemplate.queryForList("SELECT partition_no FROM "
                + this.tables.localCursor() + " WHERE consumer_group = ? AND topic = ?", Integer.class, group, topic));
        for (int partition : partitions) {
            if (!existing.contains(partition)) {
                try {
                    this.jdbcTemplate.update("INSERT INTO " + this.tables.localCursor()
                            + " (consumer_group, topic, partition_no, sequence_no) VALUES (?, ?, ?, 0)", group, topic,
                            partition);
                }
                catch (DuplicateKeyException ex) {
                    // created by another instance at the same time
                }
            }
        }
    }

    /**
     * Takes or renews the leases of partitions that are free, expired or already this owner's.
     * Leases are timed by the database's clock, so that instances whose clocks differ never hold
     * one together.
     * @param group the consumer group
     * @param topic the topic
     * @param partitions the partitions wanted
     * @param owner this instance's reader
     * @param lease how long the leases last unless renewed
     */
    public void claim(String group, String topic, Collection<Integer> partitions, String owner, Duration lease) {
        List<Object> parameters = new ArrayList<>(List.of(owner, group, topic));
        parameters.addAll(partitions);
        parameters.add(owner);
        this.jdbcTemplate.update("UPDATE " + this.tables.localCursor() + " SET owner_id = ?, lease_until = "
                + this.database.nowPlus(lease) + " WHERE consumer_group = ? AND topic = ? AND partition_no IN ("
                + LocalLog.placeholders(partitions.size()) + ") AND (owner_id = ? OR owner_id IS NULL OR lease_until < "
                + this.database.nowPlus(Duration.ZERO) + ")", parameters.toArray());
    }

    /**
     * Renews every lease of an owner, by the database's clock.
     * @param owner this instance's reader
     * @param lease how long the leases last unless renewed again
     */
    public void renew(String owner, Duration lease) {
        this.jdbcTemplate.update("UPDATE " + this.tables.localCursor() + " SET lease_until = "
                + this.database.nowPlus(lease) + " WHERE owner_id = ?", owner);
    }

    /**
     * Gives up the leases of an owner on some partitions of a topic, so that another instance can
     * read them at once.
     * @param group the consumer group
     * @param topic the topic
     * @param owner this instance's reader
     * @param partitions the partitions
     */
    public void release(String group, String topic, String owner, Collection<Integer> partitions) {
        List<Object> parameters = new ArrayList<>(List.of(group, topic, owner));
        parameters.addAll(partitions);
        this.jdbcTemplate.update("UPDATE " + this.tables.localCursor()
                + " SET owner_id = NULL, lease_until = NULL WHERE consumer_group = ? AND topic = ? AND owner_id = ?"
                + " AND partition_no IN (" + LocalLog.placeholders(partitions.size()) + ")", parameters.toArray());
    }

    /**
     * The partitions leased to an owner that have messages it has not read, with its position.
     * @param group the consumer group
     * @param topic the topic
     * @param owner this instance's reader
     * @return the last sequence number read, by partition
     */
    public Map<Integer, Long> unread(String group, String topic, String owner) {
        Map<Integer, Long> unread = new TreeMap<>();
        this.jdbcTemplate.query("SELECT c.partition_no, c.sequence_no FROM " + this.tables.localCursor() + " c JOIN "
                + this.tables.localPartition() + " p ON p.topic = c.topic AND p.partition_no = c.partition_no"
                + " WHERE c.consumer_group = ? AND c.topic = ? AND c.owner_id = ? AND p.head > c.sequence_no",
                (rs) -> {
                    unread.put(rs.getInt(1), rs.getLong(2));
                }, group, topic, owner);
        return unread;
    }

    /**
     * Moves a cursor forward, if the owner still holds its lease.
     * @param group the consumer group
     * @param topic the topic
     * @param partition the partition
     * @param owner this instance's reader
     * @param sequenceNo the last sequence number done
     * @return whether the owner held the lease and the cursor moved
     */
    public boolean advance(String group, String topic, int partition, String owner, long sequenceNo) {
        return this.jdbcTemplate.update("UPDATE " + this.tables.localCursor()
                + " SET sequence_no = ? WHERE consumer_group = ? AND topic = ? AND partition_no = ? AND owner_id = ?",
                sequenceNo, group, topic, partition, owner) == 1;
    }

    /**
     * How many messages of a topic a group has not read, counted in the log's partition index.
     * @param group the consumer group
     * @param topic the topic
     * @return the number, or empty if the group has no cursors in the topic
     */
    public OptionalLong lag(String group, String topic) {
        Long cursors = this.jdbcTemplate.queryForObject("SELECT COUNT(*) FROM " + this.tables.localCursor()
                + " WHERE consumer_group = ? AND topic = ?", Long.class, group, topic);
        if (cursors == null || cursors == 0) {
            return OptionalLong.empty();
        }
        Long lag = this.jdbcTemplate.queryForObject("SELECT COUNT(*) FROM " + this.tables.localCursor() + " c JOIN "
                + this.tables.localMessage() + " m ON m.topic = c.topic AND m.partition_no = c.partition_no"
                + " AND m.sequence_no > c.sequence_no WHERE c.consumer_group = ? AND c.topic = ?", Long.class, group,
                topic);
        return (lag != null) ? OptionalLong.of(lag) : OptionalLong.empty();
    }

}
