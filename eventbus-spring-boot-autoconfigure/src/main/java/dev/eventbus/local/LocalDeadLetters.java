package dev.eventbus.local;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.eventbus.schema.Database;
import dev.eventbus.schema.EventbusTables;
import dev.eventbus.transport.DeadLetterBrowser;
import dev.eventbus.transport.DeadLetterReplayer;
import dev.eventbus.transport.DeadLetterSink;
import dev.eventbus.transport.InboundMessage;
import dev.eventbus.wire.CloudEventAttributes;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The dead letters of the {@code local} transport, kept in a table: each with its message's
 * headers and body, the group that gave up and the cause. Replay appends them to the log again,
 * with their event ids, and deletes them in the same transaction.
 */
public class LocalDeadLetters implements DeadLetterSink, DeadLetterReplayer, DeadLetterBrowser {

    private static final int REPLAY_CHUNK = 500;

    private static final int MAX_CAUSE_MESSAGE = 2000;

    private final JdbcTemplate jdbcTemplate;

    private final TransactionOperations transaction;

    private final Database database;

    private final EventbusTables tables;

    private final LocalLog log;

    private final Clock clock;

    /**
     * Creates the dead letters.
     * @param jdbcTemplate the outbox's data source
     * @param transaction a new transaction on that data source
     * @param database the database
     * @param tables the table names
     * @param log the log replayed to
     * @param clock stamps dead letters and replayed messages
     */
    public LocalDeadLetters(JdbcTemplate jdbcTemplate, TransactionOperations transaction, Database database,
            EventbusTables tables, LocalLog log, Clock clock) {
        this.jdbcTemplate = jdbcTemplate;
        this.transaction = transaction;
        this.database = database;
        this.tables = tables;
        this.log = log;
        this.clock = clock;
    }

    @Override
    public void deadLetter(String group, InboundMessage message, Exception cause, int attempts) {
        this.transaction.executeWithoutResult((status) -> this.jdbcTemplate.update("INSERT INTO "
                + this.tables.localDeadLetter() + " (consumer_group, topic, partition_no, sequence_no, event_id,"
                + " event_key, headers, body, cause_class, cause_message, attempts, dead_lettered_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", group, message.topic(), message.partition(),
                message.offset(), message.attribute(CloudEventAttributes.ID), message.key(),
                LocalLog.writeHeaders(message.headers()), message.body(), cause.getClass().getName(),
                truncate(cause.getMessage()), attempts, this.database.timestamp(this.clock.instant())));
    }

    private static @Nullable String truncate(@Nullable String message) {
        return (message != null && message.length() > MAX_CAUSE_MESSAGE) ? message.substring(0, MAX_CAUSE_MESSAGE)
                : message;
    }

    /**
     * Replays the dead letters of a topic, oldest first, a chunk per transaction.
     */
    @Override
    public int replay(String topic, @Nullable String group, @Nullable Set<String> eventIds, @Nullable Integer limit) {
        int replayed = 0;
        long after = 0;
        while (limit == null || replayed < limit) {
            int chunk = (limit != null) ? Math.min(REPLAY_CHUNK, limit - replayed) : REPLAY_CHUNK;
            List<Replayed> selected = select(topic, group, eventIds, after, chunk);
            if (selected.isEmpty()) {
                break;
            }
            this.transaction.executeWithoutResult((status) -> {
                this.log.append(selected.stream().map(Replayed::entry).toList());
                this.jdbcTemplate.batchUpdate("DELETE FROM " + this.tables.localDeadLetter() + " WHERE id = ?",
                        selected.stream().map((dead) -> new Object[] { dead.id() }).toList());
            });
            replayed += selected.size();
            after = selected.get(selected.size() - 1).id();
        }
        return replayed;
    }

    private List<Replayed> select(String topic, @Nullable String group, @Nullable Set<String> eventIds, long after,
            int limit) {
        List<Object> parameters = new ArrayList<>(List.of(topic, after));
        String filter = "";
        if (group != null) {
            filter = " AND consumer_group = ?";
            parameters.add(group);
        }
        if (eventIds != null) {
            if (eventIds.isEmpty()) {
                return List.of();
            }
            filter += " AND event_id IN (" + LocalLog.placeholders(eventIds.size()) + ")";
            parameters.addAll(eventIds);
        }
        Instant now = this.clock.instant();
        return this.jdbcTemplate.query("SELECT id, consumer_group, partition_no, event_key, headers, body FROM "
                + this.tables.localDeadLetter() + " WHERE topic = ? AND id > ?" + filter + " ORDER BY id LIMIT "
                + limit,
                (rs, row) -> new Replayed(rs.getLong("id"), new LocalLog.Entry(topic, rs.getInt("partition_no"),
                        rs.getString("event_key"), replayedHeaders(rs), rs.getBytes("body"), now)),
                parameters.toArray());
    }

    private static Map<String, String> replayedHeaders(ResultSet rs) throws SQLException {
        Map<String, String> headers = new LinkedHashMap<>(LocalLog.readHeaders(rs));
        headers.put(GROUP_HEADER, rs.getString("consumer_group"));
        return headers;
    }

    @Override
    public long count() {
        Long count = this.jdbcTemplate.queryForObject("SELECT COUNT(*) FROM " + this.tables.localDeadLetter(),
                Long.class);
        return (count != null) ? count : 0;
    }

    @Override
    public List<DeadLetter> oldest(int limit) {
        return this.jdbcTemplate.query("SELECT consumer_group, topic, event_id, event_key, headers, cause_class,"
                + " cause_message, attempts, dead_lettered_at FROM " + this.tables.localDeadLetter()
                + " ORDER BY id LIMIT " + limit, (rs, row) -> {
                    String message = rs.getString("cause_message");
                    return new DeadLetter(rs.getString("consumer_group"), rs.getString("topic"),
                            rs.getString("event_id"),
                            LocalLog.readHeaders(rs).get(LocalHeaders.of(CloudEventAttributes.TYPE)),
                            rs.getString("event_key"),
                            rs.getString("cause_class") + ((message != null) ? ": " + message : ""),
                            rs.getInt("attempts"),
                            Objects.requireNonNull(this.database.instant(rs, "dead_lettered_at")));
                });
    }

    private record Replayed(long id, LocalLog.Entry entry) {
    }

}
