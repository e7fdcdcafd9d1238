package dev.eventbus.outbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.eventbus.schema.Database;
import dev.eventbus.schema.EventbusTables;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Outbox rows the broker refused for good (too large, invalid or unknown topic, not authorized),
 * parked in a table of their own so they hold up neither their lane nor the relay, until an
 * operator retries them. Parking moves a row there in the relay round's transaction; retrying
 * moves it back to the end of the outbox, keeping its event id.
 */
public class ParkedOutboxEvents {

    private static final int MAX_FAILURE_LENGTH = 2000;

    private static final String COLUMNS = "event_id, event_type, event_version, topic, event_key, lane, source,"
            + " payload, headers, created_at";

    private final JdbcTemplate jdbcTemplate;

    private final TransactionOperations transaction;

    private final Database database;

    private final String outboxTable;

    private final String parkedTable;

    /**
     * Creates the repository.
     * @param jdbcTemplate runs the statements
     * @param transaction moves retried events back in one transaction
     * @param database the database, for its SQL dialect
     * @param tables the table names
     */
    public ParkedOutboxEvents(JdbcTemplate jdbcTemplate, TransactionOperations transaction, Database database,
            EventbusTables tables) {
        this.jdbcTemplate = jdbcTemplate;
        this.transaction = transaction;
        this.database = database;
        this.outboxTable = tables.outbox();
        this.parkedTable = tables.outboxFailed();
    }

    /**
     * Moves outbox rows to the parked table, in the caller's transaction.
     * @param failures the failure of each row, by row id
     * @param failedAt when the broker refused them
     */
    public void park(Map<Long, String> failures, Instant failedAt) {
        if (failures.isEmpty()) {
            return;
        }
        List<Object[]> moves = new ArrayList<>(failures.size());
        List<Object[]> deletes = new ArrayList<>(failures.size());
        failures.forEach((id, failure) -> {
            moves.add(new Object[] { this.database.timestamp(failedAt), truncate(failure), id });
            deletes.add(new Object[] { id });
        });
        this.jdbcTemplate.batchUpdate("INSERT INTO " + this.parkedTable + " (id, " + COLUMNS
                + ", failed_at, failure) SELECT id, " + COLUMNS + ", ?, ? FROM " + this.outboxTable + " WHERE id = ?",
                moves);
        this.jdbcTemplate.batchUpdate("DELETE FROM " + this.outboxTable + " WHERE id = ?", deletes);
    }

    /**
     * Counts the parked rows.
     * @return the number of parked events
     */
    public long count() {
        Long count = this.jdbcTemplate.queryForObject("SELECT COUNT(*) FROM " + this.parkedTable, Long.class);
        return (count != null) ? count : 0;
    }

    /**
     * The oldest parked events.
     * @param limit how many at most
     * @return the events, in the order they were published
     */
    public List<ParkedEvent> oldest(int limit) {
        return this.jdbcTemplate.query("SELECT event_id, event_type, topic, event_key, failed_at, failure FROM "
                + this.parkedTable + " ORDER BY id LIMIT " + limit, (rs, row) -> new ParkedEvent(
                        (this.database == Database.MYSQL) ? UUID.fromString(rs.getString(1))
                                : rs.getObject(1, UUID.class),
                        rs.getString(2), rs.getString(3), rs.getString(4), this.database.instant(rs, "failed_at"),
                        rs.getString(6)));
    }

    /**
     * Moves parked events back to the end of the outbox, in their order, to be sent again with
     * their event ids; in one transaction, so an event parked meanwhile stays parked.
     * @param eventIds the events to retry, or {@code null} for all
     * @return the number of events moved back
     */
    public int retry(@Nullable Collection<UUID> eventIds) {
        if (eventIds != null && eventIds.isEmpty()) {
            return 0;
        }
        Integer retried = this.transaction.execute((status) -> {
            String where = (eventIds != null)
                    ? " WHERE event_id IN (" + String.join(", ", Collections.nCopies(eventIds.size(), "?")) + ")" : "";
            Object[] parameters = (eventIds != null) ? eventIds.stream().map(this::eventIdParameter).toArray()
                    : new Object[0];
            List<Long> ids = this.jdbcTemplate.queryForList("SELECT id FROM " + this.parkedTable + where
                    + " ORDER BY id FOR UPDATE", Long.class, parameters);
            for (Long id : ids) {
                this.jdbcTemplate.update("INSERT INTO " + this.outboxTable + " (" + COLUMNS + ") SELECT " + COLUMNS
                        + " FROM " + this.parkedTable + " WHERE id = ?", id);
                this.jdbcTemplate.update("DELETE FROM " + this.parkedTable + " WHERE id = ?", id);
            }
            return ids.size();
        });
        return (retried != null) ? retried : 0;
    }

    private Object eventIdParameter(UUID eventId) {
        return (this.database == Database.MYSQL) ? eventId.toString() : eventId;
    }

    private static String truncate(String failure) {
        return (failure.length() <= MAX_FAILURE_LENGTH) ? failure : failure.substring(0, MAX_FAILURE_LENGTH);
    }

    /**
     * A parked event.
     *
     * @param eventId the event id
     * @param type the event type
     * @param topic the topic it was refused on
     * @param key the event key, or {@code null}
     * @param failedAt when the broker refused it
     * @param failure the broker's reason
     */
    public record ParkedEvent(UUID eventId, String type, String topic, @Nullable String key, Instant failedAt,
            String failure) {

    }

}
