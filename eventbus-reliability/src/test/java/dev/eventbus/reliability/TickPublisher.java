package dev.eventbus.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.eventbus.EventPublisher;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes ticks in small transactions at a steady rate while the instance runs, so that killed
 * instances are also publishing instances. Keys are shared by all instances; their order is the
 * order in which the transactions commit. Transactions of the same key take an advisory lock on it
 * first, so that its outbox ids follow that order, which the assertions compare against; without
 * it, two instances' concurrent transactions get interleaved ids.
 */
class TickPublisher implements SmartLifecycle {

    private static final int PER_TRANSACTION = 5;

    private final TransactionTemplate transaction;

    private final JdbcTemplate jdbc;

    private final EventPublisher events;

    private final int perSecond;

    private final AtomicLong sequence = new AtomicLong();

    private volatile @Nullable Thread thread;

    TickPublisher(TransactionTemplate transaction, JdbcTemplate jdbc, EventPublisher events, int perSecond) {
        this.transaction = transaction;
        this.jdbc = jdbc;
        this.events = events;
        this.perSecond = perSecond;
    }

    @Override
    public void start() {
        Thread publisher = new Thread(this::publishUntilStopped, "tick-publisher");
        publisher.setDaemon(true);
        this.thread = publisher;
        publisher.start();
    }

    @Override
    public void stop() {
        Thread publisher = this.thread;
        this.thread = null;
        if (publisher != null) {
            publisher.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return this.thread != null;
    }

    private void publishUntilStopped() {
        long pauseMillis = 1000L * PER_TRANSACTION / this.perSecond;
        while (this.thread != null) {
            this.transaction.executeWithoutResult((status) -> {
                List<Tick> ticks = new ArrayList<>();
                for (int i = 0; i < PER_TRANSACTION; i++) {
                    long next = this.sequence.getAndIncrement();
                    ticks.add(new Tick("shared-" + (next % 50), next));
                }
                ticks.stream().map(Tick::key).sorted().forEach((key) -> this.jdbc
                    .query("SELECT pg_advisory_xact_lock(hashtext(?))", (rs) -> { }, key));
                ticks.forEach(this.events::publish);
            });
            try {
                Thread.sleep(pauseMillis);
            }
            catch (InterruptedException ex) {
                return;
            }
        }
    }

}
