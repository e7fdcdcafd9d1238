package dev.eventbus.consumer;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import dev.eventbus.schema.Database;
import dev.eventbus.schema.EventbusTables;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The processed-event table: which event ids each consumer group has handled. Writes join the
 * caller's transaction.
 */
public class ProcessedEventRepository {

    private final JdbcTemplate jdbcTemplate;

    private final Database database;

    private final String table;

    private final String insertSql;

    /**
     * Creates a repository.
     * @param jdbcTemplate runs the statements
     * @param database the database, for its SQL dialect
     * @param tables the table names
     */
    public ProcessedEventRepository(JdbcTemplate jdbcTemplate, Database database, EventbusTables tables) {
        this.jdbcTemplate = jdbcTemplate;
        this.database = database;
        this.table = tables.processedEvent();
        this.insertSql = switch (database) {
            case POSTGRESQL -> "INSERT INTO " + this.table
                    + " (consumer_group, event_id, processed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
            case MYSQL, H2 -> "INSERT INTO " + this.table + " (consumer_group, event_id, processed_at) VALUES (?, ?, ?)";
        };
    }

    /**
     * Records that a group processes an event, unless it already did. If another transaction is
     * recording the same event, waits for it to finish.
     * @param group the consumer group
     * @param eventId the event id
     * @param processedAt the time
     * @return {@code true} if this is the first time, {@code false} for a duplicate
     */
    public boolean markProcessed(String group, UUID eventId, Instant processedAt) {
        try {
            return this.jdbcTemplate.update(this.insertSql, group, eventIdParameter(eventId),
                    Timestamp.from(processedAt)) > 0;
        }
        catch (DuplicateKeyException ex) {
            return false;
        }
    }

    /**
     * Deletes at most {@code limit} ids recorded before a point in time.
     * @param cutoff ids processed before this are deleted
     * @param limit the most rows to delete in this statement
     * @return the number of rows deleted
     */
    public int deleteProcessedBefore(Instant cutoff, int limit) {
        String sql = switch (this.database) {
            case MYSQL -> "DELETE FROM " + this.table + " WHERE processed_at < ? LIMIT " + limit;
            case POSTGRESQL -> "DELETE FROM " + this.table + " WHERE (consumer_group, event_id) IN (SELECT"
                    + " consumer_group, event_id FROM " + this.table + " WHERE processed_at < ? LIMIT " + limit + ")";
            case H2 -> "DELETE FROM " + this.table + " WHERE processed_at < ? FETCH FIRST " + limit + " ROWS ONLY";
        };
        return this.jdbcTemplate.update(sql, Timestamp.from(cutoff));
    }

    private Object eventIdParameter(UUID eventId) {
        return (this.database == Database.MYSQL) ? eventId.toString() : eventId;
    }

}
