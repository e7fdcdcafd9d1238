package dev.eventbus.local;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import dev.eventbus.outbox.OutboxEvent;
import dev.eventbus.schema.Database;
import dev.eventbus.schema.EventbusTables;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The log of the {@code local} transport: the messages of each topic in partitions, one per outbox
 * lane, each partition in the order its messages were appended.
 * <p>
 * That order is the order of the sequence numbers within a partition because every append to a
 * partition holds the lock of its lane until it commits: a relay round appends in its own
 * transaction, which holds the lanes it relays, and any other append locks the lanes first.
 * Readers can therefore remember a partition's last sequence number read and never miss a message.
 */
public class LocalLog {

    private static final JsonMapper HEADERS_MAPPER = JsonMapper.builder().build();

    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };

    private final JdbcTemplate jdbcTemplate;

    private final TransactionOperations transaction;

    private final Database database;

    private final EventbusTables tables;

    /**
     * Creates the log.
     * @param jdbcTemplate the outbox's data source
     * @param transaction a transaction on that data source, for appends outside a relay round
     * @param database the database
     * @param tables the table names
     */
    public LocalLog(JdbcTemplate jdbcTemplate, TransactionOperations transaction, Database database,
            EventbusTables tables) {
        this.jdbcTemplate = jdbcTemplate;
        this.transaction = transaction;
        this.database = database;
        this.tables = tables;
    }

    /**
     * Appends the events of a relay round, in the round's transaction, which holds their lanes.
     * @param events the events, in outbox order
     */
    public void appendRelayed(List<OutboxEvent> events) {
        insert(events.stream()
            .map((event) -> new Entry(event.topic(), event.lane(), event.key(), LocalHeaders.of(event),
                    event.payload().getBytes(StandardCharsets.UTF_8), event.occurredAt()))
            .toList());
    }

    /**
     * Appends messages in a transaction of their own that first locks their lanes, waiting for a
     * relay round that holds them: for replayed dead letters and for foreign producers.
     * @param entries the messages
     */
    public void append(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        this.transaction.executeWithoutResult((status) -> {
            lockLanes(entries);
            insert(entries);
        });
    }

    private void lockLanes(List<Entry> entries) {
        TreeSet<Integer> lanes = new TreeSet<>();
        entries.forEach((entry) -> lanes.add(entry.partition()));
        this.jdbcTemplate.query("SELECT lane FROM " + this.tables.outboxLane() + " WHERE lane IN ("
                + placeholders(lanes.size()) + ") ORDER BY lane FOR UPDATE", (rs) -> {
                }, lanes.toArray());
    }

    private void insert(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        this.jdbcTemplate.batchUpdate("INSERT INTO " + this.tables.localMessage()
                + " (topic, partition_no, event_key, headers, body, created_at) VALUES (?, ?, ?, ?, ?, ?)", entries,
                entries.size(), this::setInsertParameters);
        TreeSet<Partition> partitions = new TreeSet<>();
        entries.forEach((entry) -> partitions.add(new Partition(entry.topic(), entry.partition())));
        for (Partition partition : partitions) {
            moveHead(partition);
        }
    }

    private void setInsertParameters(PreparedStatement statement, Entry entry) throws SQLException {
        statement.setString(1, entry.topic());
        statement.setInt(2, entry.partition());
        statement.setString(3, entry.key());
        statement.setString(4, HEADERS_MAPPER.writeValueAsString(entry.headers()));
        statement.setBytes(5, entry.body());
        statement.setObject(6, this.database.timestamp(entry.createdAt()));
    }

    private void moveHead(Partition partition) {
        String last = "(SELECT MAX(sequence_no) FROM " + this.tables.localMessage()
                + " WHERE topic = ? AND partition_no = ?)";
        int updated = this.jdbcTemplate.update("UPDATE " + this.tables.localPartition() + " SET head = " + last
                + " WHERE topic = ? AND partition_no = ?", partition.topic(), partition.number(), partition.topic(),
                partition.number());
        if (updated == 0) {
            this.jdbcTemplate.update("INSERT INTO " + this.tables.localPartition()
                    + " (topic, partition_no, head) VALUES (?, ?, " + last + ")", partition.topic(), partition.number(),
                    partition.topic(), partition.number());
        }
    }

    /**
     * Reads the messages of a partition after a sequence number.
     * @param topic the topic
     * @param partition the partition
     * @param after the last sequence number read before, {@code 0} for none
     * @param limit the most messages to read
     * @return the messages in partition order
     */
    public List<LocalMessage> read(String topic, int partition, long after, int limit) {
        return this.jdbcTemplate.query("SELECT sequence_no, event_key, headers, body, created_at FROM "
                + this.tables.localMessage()
                + " WHERE topic = ? AND partition_no = ? AND sequence_no > ? ORDER BY sequence_no LIMIT " + limit,
                (rs, row) -> new LocalMessage(rs.getLong("sequence_no"), topic, partition, rs.getString("event_key"),
                        readHeaders(rs), rs.getBytes("body"),
                        Objects.requireNonNull(this.database.instant(rs, "created_at"))),
                topic, partition, after);
    }

    static Map<String, String> readHeaders(ResultSet rs) throws SQLException {
        String json = rs.getString("headers");
        return (json != null) ? Collections.unmodifiableMap(HEADERS_MAPPER.readValue(json, HEADERS)) : Map.of();
    }

    static String writeHeaders(Map<String, String> headers) {
        return HEADERS_MAPPER.writeValueAsString(headers);
    }

    /**
     * Deletes at most {@code limit} messages appended before a point in time that every consumer
     * group known to the log has read.
     * @param cutoff messages appended before this may be deleted
     * @param limit the most messages to delete in this statement
     * @return the number of messages deleted
     */
    public int deleteReadBefore(Instant cutoff, int limit) {
        String messages = this.tables.localMessage();
        String unread = "SELECT 1 FROM " + this.tables.localCursor() + " c WHERE c.topic = " + messages
                + ".topic AND c.partition_no = " + messages + ".partition_no AND c.sequence_no < " + messages
                + ".sequence_no";
        String sql = switch (this.database) {
            case MYSQL -> "DELETE FROM " + messages + " WHERE created_at < ? AND NOT EXISTS (" + unread
                    + ") ORDER BY sequence_no LIMIT " + limit;
            case POSTGRESQL, H2 -> "DELETE FROM " + messages + " WHERE sequence_no IN (SELECT sequence_no FROM "
                    + messages + " WHERE created_at < ? AND NOT EXISTS (" + unread + ") ORDER BY sequence_no LIMIT "
                    + limit + ")";
        };
        return this.jdbcTemplate.update(sql, this.database.timestamp(cutoff));
    }

    static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    /**
     * A message to append.
     *
     * @param topic the topic
     * @param partition the partition: the outbox lane of its key
     * @param key the event key, or {@code null}
     * @param headers the headers, see {@link LocalHeaders}
     * @param body the body, or {@code null}
     * @param createdAt when it was first appended
     */
    public record Entry(String topic, int partition, @Nullable String key, Map<String, String> headers,
            byte @Nullable [] body, Instant createdAt) {
    }

    private record Partition(String topic, int number) implements Comparable<Partition> {

        @Override
        public int compareTo(Partition other) {
            int byTopic = this.topic.compareTo(other.topic);
            return (byTopic != 0) ? byTopic : Integer.compare(this.number, other.number);
        }

    }

}
