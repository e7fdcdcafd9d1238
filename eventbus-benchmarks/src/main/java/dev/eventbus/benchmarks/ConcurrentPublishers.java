package dev.eventbus.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import dev.eventbus.EventPublisher;
import dev.eventbus.testsupport.TestDatabase;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Scenario 6: many threads publishing at once, each transaction one business row and one event,
 * with three ways of waking other instances' relays: none, the statement-level {@code pg_notify}
 * trigger of eventbus 0.1.0 (recreated here for the comparison), and today's coalesced notifier.
 * The variants alternate in rounds on one database.
 */
final class ConcurrentPublishers {

    static final String[] VARIANTS = { "no notification", "NOTIFY trigger per commit (0.1.0)",
            "coalesced notifier" };

    private final Infrastructure infrastructure;

    private final int transactions;

    ConcurrentPublishers(Infrastructure infrastructure, int transactions) {
        this.infrastructure = infrastructure;
        this.transactions = transactions;
    }

    /**
     * @param database the database to write to, closed afterwards
     * @param threads the publishing threads, each with a connection of its own
     * @return transactions per second of each variant
     */
    double[] transactionsPerSecond(TestDatabase database, int threads) throws Exception {
        return transactionsPerSecond(database, threads, threads + 4);
    }

    /**
     * @param database the database to write to, closed afterwards
     * @param threads the publishing threads
     * @param poolSize the connections of each application's pool
     * @return transactions per second of each variant
     */
    double[] transactionsPerSecond(TestDatabase database, int threads, int poolSize) throws Exception {
        String topic = this.infrastructure.newTopic("concurrent", 6);
        String pool = "--spring.datasource.hikari.maximum-pool-size=" + poolSize;
        try (database;
                ConfigurableApplicationContext silent = this.infrastructure.start(database, topic,
                        "--eventbus.outbox.relay.enabled=false", "--eventbus.consumer.enabled=false",
                        "--eventbus.outbox.notify=false", pool);
                ConfigurableApplicationContext notifying = this.infrastructure.start(database, topic,
                        "--eventbus.outbox.relay.enabled=false", "--eventbus.consumer.enabled=false", pool)) {
            JdbcTemplate jdbc = silent.getBean(JdbcTemplate.class);
            long[] nanos = new long[VARIANTS.length];
            int rounds = 4;
            ExecutorService executor = Executors.newFixedThreadPool(threads);
            try {
                for (int round = -1; round < rounds; round++) {
                    for (int variant = 0; variant < VARIANTS.length; variant++) {
                        if (variant == 1) {
                            createTrigger(jdbc);
                        }
                        long elapsed = run(executor, threads, (variant == 2) ? notifying : silent);
                        if (variant == 1) {
                            jdbc.execute("DROP TRIGGER benchmark_outbox_inserted ON eventbus_outbox");
                        }
                        if (round >= 0) {
                            nanos[variant] += elapsed;
                        }
                    }
                }
            }
            finally {
                executor.shutdownNow();
            }
            double[] perSecond = new double[VARIANTS.length];
            for (int variant = 0; variant < VARIANTS.length; variant++) {
                perSecond[variant] = this.transactions * (double) rounds / (nanos[variant] / 1e9);
            }
            return perSecond;
        }
    }

    private long run(ExecutorService executor, int threads, ConfigurableApplicationContext context)
            throws Exception {
        TransactionTemplate transaction = context.getBean(TransactionTemplate.class);
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        EventPublisher publisher = context.getBean(EventPublisher.class);
        AtomicLong remaining = new AtomicLong(this.transactions);
        List<Future<?>> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int thread = 0; thread < threads; thread++) {
            workers.add(executor.submit(() -> {
                long sequence;
                while ((sequence = remaining.decrementAndGet()) >= 0) {
                    long event = sequence;
                    transaction.executeWithoutResult((status) -> {
                        jdbc.update("INSERT INTO business_row (payload) VALUES (?)", Measured.PADDING);
                        publisher.publish(Measured.of(event));
                    });
                }
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        return System.nanoTime() - start;
    }

    private static void createTrigger(JdbcTemplate jdbc) {
        jdbc.execute("CREATE OR REPLACE FUNCTION benchmark_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$"
                + " BEGIN PERFORM pg_notify('eventbus_outbox', ''); RETURN NULL; END; $$");
        jdbc.execute("CREATE TRIGGER benchmark_outbox_inserted AFTER INSERT ON eventbus_outbox"
                + " FOR EACH STATEMENT EXECUTE FUNCTION benchmark_outbox_notify()");
    }

}
