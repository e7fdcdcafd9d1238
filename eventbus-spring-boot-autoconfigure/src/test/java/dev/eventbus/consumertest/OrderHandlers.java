package dev.eventbus.consumertest;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.eventbus.EventHandler;
import dev.eventbus.EventMetadata;
import dev.eventbus.testapp.OrderPlaced;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Records each handled order in {@code handled_order} and in memory. The event's note steers it:
 * {@code fail} throws after writing, {@code fail-until-fixed} throws until {@link #fix()} is called,
 * {@code hang} sleeps for 20 seconds unless interrupted, {@code fail-at-commit} writes a row that violates a unique key when the transaction commits, as
 * a JPA flush would, {@code halt-after-commit} stops the JVM right after the handler's transaction
 * committed, before the offset is committed, {@code database-down-4-times} fails as an
 * unreachable database would, four times, and {@code stack-overflow}, {@code assertion-error},
 * {@code linkage-error} and {@code initializer-error} throw those {@link Error}s after writing, and
 * {@code spin-once} busy-waits for 10 seconds, ignoring interrupts, the first time in this JVM.
 */
@Component
public class OrderHandlers {

    public record Handled(OrderPlaced event, EventMetadata metadata, String traceId) {
    }

    private final JdbcTemplate jdbc;

    private final List<Handled> handled = new CopyOnWriteArrayList<>();

    private final ObjectProvider<Tracer> tracer;

    private volatile boolean broken = true;

    OrderHandlers(JdbcTemplate jdbc, ObjectProvider<Tracer> tracer) {
        this.jdbc = jdbc;
        this.tracer = tracer;
    }

    /**
     * Makes {@code fail-until-fixed} events succeed from now on.
     */
    public void fix() {
        this.broken = false;
    }

    private final Map<UUID, AtomicInteger> databaseFailures = new ConcurrentHashMap<>();

    private static final Set<UUID> SPUN = ConcurrentHashMap.newKeySet();

    @EventHandler
    void on(OrderPlaced event, EventMetadata metadata) {
        if (event.note().equals("database-down-4-times")
                && this.databaseFailures.computeIfAbsent(metadata.id(), (id) -> new AtomicInteger()).incrementAndGet() <= 4) {
            throw new CannotGetJdbcConnectionException("simulated: database unreachable");
        }
        this.jdbc.update("INSERT INTO handled_order (event_id, order_id, sequence_number, attempt) VALUES (?, ?, ?, ?)",
                metadata.id().toString(), event.orderId(), event.sequence(), metadata.attempt());
        this.handled.add(new Handled(event, metadata, currentTraceId()));
        if (event.note().equals("fail") || (event.note().equals("fail-until-fixed") && this.broken)) {
            throw new IllegalStateException("cannot handle " + event.orderId());
        }
        throwError(event);
        if (event.note().equals("spin-once") && SPUN.add(metadata.id())) {
            long end = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
        }
        if (event.note().equals("hang")) {
            try {
                Thread.sleep(20_000);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while hanging on " + event.orderId(), ex);
            }
        }
        if (event.note().equals("fail-at-commit")) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    for (int i = 0; i < 2; i++) {
                        OrderHandlers.this.jdbc.update("INSERT INTO flushed_order (order_id) VALUES (?)",
                                event.orderId() + "-" + event.sequence());
                    }
                }
            });
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

    private static void throwError(OrderPlaced event) {
        switch (event.note()) {
            case "stack-overflow" -> descend(0);
            case "assertion-error" -> throw new AssertionError("order " + event.orderId() + " broke an invariant");
            case "linkage-error" -> throw new NoClassDefFoundError("com/example/RemovedInTheLastDeployment");
            case "initializer-error" -> BrokenInitializer.touch();
            default -> {
            }
        }
    }

    private static int descend(int depth) {
        return descend(depth + 1) + 1;
    }

    private String currentTraceId() {
        Tracer current = this.tracer.getIfAvailable();
        Span span = (current != null) ? current.currentSpan() : null;
        return (span != null) ? span.context().traceId() : "";
    }

    public List<Handled> handled() {
        return this.handled;
    }

    /**
     * A class whose static initializer fails: the first use throws
     * {@link ExceptionInInitializerError}, every later one {@link NoClassDefFoundError}.
     */
    private static final class BrokenInitializer {

        private static final int VALUE = Integer.parseInt("not a number");

        static int touch() {
            return VALUE;
        }

    }

}
