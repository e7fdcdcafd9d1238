package dev.eventbus.consumer;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
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

    private final boolean mariaDb;

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
        this.mariaDb = (database == Database.MYSQL) && isMariaDb(jdbcTemplate);
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
            case MYSQL -> this.mariaDb ? insertReturning(group, eventIds, this.database.timestamp(processedAt))
                    : insertIgnoringDuplicates(group, eventIds, this.database.timestamp(processedAt));
            case H2 -> insertEach(group, eventIds, Timestamp.from(processedAt));
        };
    }

    /**
     * On MariaDB: one {@code INSERT IGNORE … RETURNING} of all ids, which returns the rows it
     * inserted, so the duplicates are the ids it does not return.
     */
    private Set<UUID> insertReturning(String group, List<UUID> eventIds, Object processedAt) {
        String sql = "INSERT IGNORE INTO " + this.table + " (consumer_group, event_id, processed_at) VALUES "
                + String.join(", ", Collections.nCopies(eventIds.size(), "(?, ?, ?)")) + " RETURNING event_id";
        Object[] parameters = new Object[3 * eventIds.size()];
        for (int i = 0; i < eventIds.size(); i++) {
            parameters[3 * i] = group;
            parameters[3 * i + 1] = eventIds.get(i).toString();
            parameters[3 * i + 2] = processedAt;
        }
        Set<UUID> recorded = new HashSet<>();
        this.jdbcTemplate.query(sql, (resultSet) -> {
            recorded.add(UUID.fromString(resultSet.getString(1)));
        }, parameters);
        return recorded;
    }

    /**
     * On MySQL, which has no {@code RETURNING}: {@code INSERT IGNORE} row by row, whose update count tells a new id (1)
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

    private static boolean isMariaDb(JdbcTemplate jdbcTemplate) {
        String version = jdbcTemplate.queryForObject("SELECT VERSION()", String.class);
        return version != null && version.toLowerCase(Locale.ROOT).contains("mariadb");
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
