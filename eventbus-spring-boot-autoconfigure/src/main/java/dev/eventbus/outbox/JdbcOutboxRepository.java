package dev.eventbus.outbox;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import dev.eventbus.schema.Database;
import dev.eventbus.schema.EventbusTables;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Reads and writes the outbox table with plain JDBC. Writes join the caller's transaction, if any.
 */
public class JdbcOutboxRepository {

    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };

    private static final JsonMapper HEADERS_MAPPER = JsonMapper.builder().build();

    private final JdbcTemplate jdbcTemplate;

    private final Database database;

    private final String insertSql;

    private final String outboxTable;

    private final String laneTable;

    /**
     * Creates a repository.
     * @param jdbcTemplate runs the statements
     * @param database the database, for its SQL dialect
     * @param tables the table names
     */
    public JdbcOutboxRepository(JdbcTemplate jdbcTemplate, Database database, EventbusTables tables) {
        this.jdbcTemplate = jdbcTemplate;
        this.database = database;
        this.outboxTable = tables.outbox();
        this.laneTable = tables.outboxLane();
        this.insertSql = "INSERT INTO " + this.outboxTable + " (event_id, event_type, event_version, topic, event_key,"
                + " lane, source, payload, headers, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    }

    /**
     * Inserts events as one JDBC batch, in list order.
     * @param events the events to store
     */
    public void insert(List<OutboxEvent> events) {
        this.jdbcTemplate.batchUpdate(this.insertSql, events, events.size(), this::setInsertParameters);
    }

    /**
     * The lanes of the oldest unpublished events, oldest first. Reads the head of the pending-row
     * index and takes no locks.
     * @param limit how many of the oldest events to look at
     * @return distinct lanes in the order of their oldest event, possibly empty
     */
    public List<Integer> lanesAtHead(int limit) {
        List<Integer> lanes = this.jdbcTemplate.queryForList("SELECT lane FROM " + this.outboxTable
                + " WHERE published_at IS NULL ORDER BY id LIMIT " + limit, Integer.class);
        return List.copyOf(new LinkedHashSet<>(lanes));
    }

    /**
     * Locks some of the given lanes for the current transaction, skipping lanes another
     * transaction holds. Must run in a transaction; the locks end with it. Only the lanes asked
     * for are read, by primary key, so no database locks more rows than it returns.
     * @param lanes the lanes to try, not empty
     * @return the lanes now locked by this transaction
     */
    public List<Integer> lockLanes(Collection<Integer> lanes) {
        String sql = "SELECT lane FROM " + this.laneTable + " WHERE " + oneOf("lane", lanes.size())
                + " ORDER BY lane FOR UPDATE SKIP LOCKED";
        return this.jdbcTemplate.queryForList(sql, Integer.class, values(lanes.toArray(Integer[]::new)));
    }

    /**
     * Reads the oldest unpublished events of some lanes, in insertion order: of the {@code scan}
     * oldest unpublished events, those in the given lanes, so each lane's events are a prefix of
     * its backlog. Walks the pending-row index in id order, which stays cheap however long the
     * backlog is.
     * @param lanes the lanes, locked by the current transaction
     * @param scan how many of the oldest unpublished events to look at
     * @param limit the most events to return
     * @return the events, oldest first
     */
    public List<PendingOutboxEvent> pendingEvents(Collection<Integer> lanes, int scan, int limit) {
        String sql = "SELECT * FROM (SELECT id, event_id, event_type, event_version, topic, event_key, lane, source,"
                + " payload, headers, created_at FROM " + this.outboxTable + " WHERE published_at IS NULL ORDER BY id"
                + " LIMIT " + scan + ") head WHERE " + oneOf("lane", lanes.size()) + " ORDER BY id LIMIT " + limit;
        return this.jdbcTemplate.query(sql, this::mapPendingEvent, values(lanes.toArray(Integer[]::new)));
    }

    /**
     * Marks rows as published, in one statement.
     * @param ids the row ids
     * @param publishedAt the time of the broker's acknowledgement
     */
    public void markPublished(List<Long> ids, Instant publishedAt) {
        if (ids.isEmpty()) {
            return;
        }
        Object[] idValues = values(ids.toArray(Long[]::new));
        Object[] parameters = new Object[idValues.length + 1];
        parameters[0] = this.database.timestamp(publishedAt);
        System.arraycopy(idValues, 0, parameters, 1, idValues.length);
        this.jdbcTemplate.update("UPDATE " + this.outboxTable + " SET published_at = ? WHERE "
                + oneOf("id", ids.size()), parameters);
    }

    /**
     * Deletes rows at once instead of marking them, for a retention of zero.
     * @param ids the row ids
     */
    public void delete(List<Long> ids) {
        if (!ids.isEmpty()) {
            this.jdbcTemplate.update("DELETE FROM " + this.outboxTable + " WHERE " + oneOf("id", ids.size()),
                    values(ids.toArray(Long[]::new)));
        }
    }

    /**
     * Deletes at most {@code limit} rows published before a point in time.
     * @param cutoff rows published before this are deleted
     * @param limit the most rows to delete in this statement
     * @return the number of rows deleted
     */
    public int deletePublishedBefore(Instant cutoff, int limit) {
        String sql = switch (this.database) {
            case MYSQL -> "DELETE FROM " + this.outboxTable + " WHERE published_at < ? ORDER BY published_at LIMIT "
                    + limit;
            case POSTGRESQL, H2 -> "DELETE FROM " + this.outboxTable + " WHERE id IN (SELECT id FROM "
                    + this.outboxTable + " WHERE published_at < ? LIMIT " + limit + ")";
        };
        return this.jdbcTemplate.update(sql, this.database.timestamp(cutoff));
    }

    /**
     * Counts the rows not yet published, through the pending-row index.
     * @return the number of pending rows
     */
    public long countPending() {
        Long count = this.jdbcTemplate.queryForObject(
                "SELECT COUNT(*) FROM " + this.outboxTable + " WHERE published_at IS NULL", Long.class);
        return (count != null) ? count : 0;
    }

    /**
     * Counts the rows not yet published per topic.
     * @return pending rows by topic
     */
    public Map<String, Long> countPendingByTopic() {
        Map<String, Long> counts = new TreeMap<>();
        this.jdbcTemplate.query("SELECT topic, COUNT(*) FROM " + this.outboxTable
                + " WHERE published_at IS NULL GROUP BY topic", (rs) -> {
                    counts.put(rs.getString(1), rs.getLong(2));
                });
        return counts;
    }

    /**
     * When the oldest unpublished event was published, reading one row of the pending-row index.
     * @return the time, or empty if nothing is pending
     */
    public Optional<Instant> oldestPendingCreatedAt() {
        return this.jdbcTemplate.query("SELECT created_at FROM " + this.outboxTable
                + " WHERE published_at IS NULL ORDER BY id LIMIT 1",
                (rs) -> rs.next() ? Optional.ofNullable(this.database.instant(rs, "created_at"))
                        : Optional.<Instant>empty());
    }

    private void setInsertParameters(PreparedStatement statement, OutboxEvent event) throws SQLException {
        statement.setObject(1, (this.database == Database.MYSQL) ? event.eventId().toString() : event.eventId());
        statement.setString(2, event.type());
        statement.setInt(3, event.version());
        statement.setString(4, event.topic());
        statement.setString(5, event.key());
        statement.setInt(6, event.lane());
        statement.setString(7, event.source());
        statement.setString(8, event.payload());
        statement.setString(9, event.headers().isEmpty() ? null : HEADERS_MAPPER.writeValueAsString(event.headers()));
        statement.setObject(10, this.database.timestamp(event.occurredAt()));
    }

    private PendingOutboxEvent mapPendingEvent(ResultSet rs, int row) throws SQLException {
        UUID eventId = (this.database == Database.MYSQL) ? UUID.fromString(rs.getString("event_id"))
                : rs.getObject("event_id", UUID.class);
        OutboxEvent event = new OutboxEvent(eventId, rs.getString("event_type"), rs.getInt("event_version"),
                rs.getString("topic"), rs.getString("event_key"), rs.getInt("lane"), rs.getString("source"),
                rs.getString("payload"), readHeaders(rs.getString("headers")),
                this.database.instant(rs, "created_at"));
        return new PendingOutboxEvent(rs.getLong("id"), event);
    }

    private static Map<String, String> readHeaders(@Nullable String json) {
        return (json != null) ? HEADERS_MAPPER.readValue(json, HEADERS) : Map.of();
    }

    /**
     * A condition that a column has one of some values: on PostgreSQL with one array parameter,
     * so that the statement is the same for any number of values and is planned once.
     */
    private String oneOf(String column, int count) {
        return (this.database == Database.POSTGRESQL) ? column + " = ANY (?)"
                : column + " IN (" + placeholders(count) + ")";
    }

    /**
     * The parameters of {@link #oneOf}.
     */
    private Object[] values(Object[] values) {
        return (this.database == Database.POSTGRESQL) ? new Object[] { values } : values;
    }

    private static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

}
