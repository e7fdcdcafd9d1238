package dev.eventbus.consumertest;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.eventbus.EventHandler;
import dev.eventbus.EventMetadata;
import dev.eventbus.testapp.OrderPlaced;

import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Records each handled order in {@code handled_order} and in memory. The event's note steers it:
 * {@code fail} throws after writing, {@code halt-after-commit} stops the JVM right after the
 * handler's transaction committed, before the offset is committed, and {@code database-down-4-times}
 * fails as an unreachable database would, four times.
 */
@Component
public class OrderHandlers {

    public record Handled(OrderPlaced event, EventMetadata metadata) {
    }

    private final JdbcTemplate jdbc;

    private final List<Handled> handled = new CopyOnWriteArrayList<>();

    OrderHandlers(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    private final Map<UUID, AtomicInteger> databaseFailures = new ConcurrentHashMap<>();

    @EventHandler
    void on(OrderPlaced event, EventMetadata metadata) {
        if (event.note().equals("database-down-4-times")
                && this.databaseFailures.computeIfAbsent(metadata.id(), (id) -> new AtomicInteger()).incrementAndGet() <= 4) {
            throw new CannotGetJdbcConnectionException("simulated: database unreachable");
        }
        this.jdbc.update("INSERT INTO handled_order (event_id, order_id, sequence_number, attempt) VALUES (?, ?, ?, ?)",
                metadata.id().toString(), event.orderId(), event.sequence(), metadata.attempt());
        this.handled.add(new Handled(event, metadata));
        if (event.note().equals("fail")) {
            throw new IllegalStateException("cannot handle " + event.orderId());
        }
        if (event.note().equals("halt-after-commit")) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    Runtime.getRuntime().halt(3);
                }
            });
        }
    }

    public List<Handled> handled() {
        return this.handled;
    }

}
