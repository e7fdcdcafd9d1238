package dev.eventbus.consumer;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

    private final String insertAllSql;

    private final String insertIgnoreSql;

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
        this.insertSql = "INSERT INTO " + this.table + " (consumer_group, event_id, processed_at) VALUES (?, ?, ?)";
        this.insertIgnoreSql = "INSERT IGNORE INTO " + this.table
                + " (consumer_group, event_id, processed_at) VALUES (?, ?, ?)";
        this.insertAllSql = "INSERT INTO " + this.table + " (consumer_group, event_id, processed_at) SELECT ?, id, ?"
                + " FROM unnest(?) AS ids (id) ORDER BY id ON CONFLICT DO NOTHING RETURNING event_id";
    }

    /**
     * Records that a group processes events, except those it already did. If another transaction
     * is recording one of them, waits for it to finish.
     * @param group the consumer group
     * @param eventIds the event ids
     * @param processedAt the time
     * @return the ids recorded now, a mutable set; the others are duplicates
     */
    public Set<UUID> markProcessed(String group, List<UUID> eventIds, Instant processedAt) {
        return switch (this.database) {
            case POSTGRESQL -> insertAll(group, eventIds, Timestamp.from(processedAt));
            case MYSQL -> insertIgnoringDuplicates(group, eventIds, this.database.timestamp(processedAt));
            case H2 -> insertEach(group, eventIds, Timestamp.from(processedAt));
        };
    }

    /**
     * On MySQL and MariaDB: {@code INSERT IGNORE} row by row, whose update count tells a new id (1)
     * from a duplicate (0), instead of a duplicate-key exception per duplicate. Not one JDBC batch:
     * drivers that rewrite batches report no count per row.
     */
    private Set<UUID> insertIgnoringDuplicates(String group, List<UUID> eventIds, Object processedAt) {
        Set<UUID> recorded = new HashSet<>();
        for (UUID eventId : eventIds) {
            if (this.jdbcTemplate.update(this.insertIgnoreSql, group, eventId.toString(), processedAt) > 0) {
                recorded.add(eventId);
            }
        }
        return recorded;
    }

    private Set<UUID> insertEach(String group, List<UUID> eventIds, Timestamp processedAt) {
        Set<UUID> recorded = new HashSet<>();
        for (UUID eventId : eventIds) {
            if (insert(group, eventId, processedAt)) {
                recorded.add(eventId);
            }
        }
        return recorded;
    }

    private Set<UUID> insertAll(String group, List<UUID> eventIds, Timestamp processedAt) {
        Set<UUID> recorded = new HashSet<>();
        this.jdbcTemplate.query((connection) -> {
            PreparedStatement statement = connection.prepareStatement(this.insertAllSql);
            Array ids = connection.createArrayOf("uuid", eventIds.toArray());
            statement.setString(1, group);
            statement.setTimestamp(2, processedAt);
            statement.setArray(3, ids);
            return statement;
        }, (resultSet) -> {
            recorded.add(resultSet.getObject(1, UUID.class));
        });
        return recorded;
    }

    private boolean insert(String group, UUID eventId, Timestamp processedAt) {
        try {
            return this.jdbcTemplate.update(this.insertSql, group, eventId, processedAt) > 0;
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
        return this.jdbcTemplate.update(sql, this.database.timestamp(cutoff));
    }

}
