package dev.eventbus.benchmarks;

import dev.eventbus.EventPublisher;
import dev.eventbus.testsupport.TestDatabase;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Scenario 3: transactions that insert one business row, without and with one or ten publishes,
 * and business transactions of three statements (select a row, update it, insert one), without
 * and with one publish, alternating in rounds so that drift hits every variant alike.
 */
final class PublishOverhead {

    private static final int ACCOUNTS = 1_000;

    private final Infrastructure infrastructure;

    private final int transactions;

    PublishOverhead(Infrastructure infrastructure, int transactions) {
        this.infrastructure = infrastructure;
        this.transactions = transactions;
    }

    /**
     * @param database the database to write to, closed afterwards
     * @return transactions per second: one insert with 0, 1 and 10 publishes, then three statements
     * with 0 and 1 publish
     */
    double[] transactionsPerSecond(TestDatabase database) {
        String topic = this.infrastructure.newTopic("publish", 6);
        try (database;
                ConfigurableApplicationContext context = this.infrastructure.start(database, topic,
                        "--eventbus.outbox.relay.enabled=false", "--eventbus.consumer.enabled=false")) {
            TransactionTemplate transaction = context.getBean(TransactionTemplate.class);
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            EventPublisher publisher = context.getBean(EventPublisher.class);
            for (int i = 0; i < ACCOUNTS; i++) {
                jdbc.update("INSERT INTO business_row (payload) VALUES (?)", Measured.PADDING);
            }
            int[] publishes = { 0, 1, 10, 0, 1 };
            boolean[] business = { false, false, false, true, true };
            long[] nanos = new long[publishes.length];
            int rounds = 10;
            for (int round = -1; round < rounds; round++) {
                for (int variant = 0; variant < publishes.length; variant++) {
                    int count = publishes[variant];
                    boolean threeStatements = business[variant];
                    long start = System.nanoTime();
                    for (int i = 0; i < this.transactions / rounds; i++) {
                        long account = 1 + (i % ACCOUNTS);
                        transaction.executeWithoutResult((status) -> {
                            if (threeStatements) {
                                String payload = jdbc.queryForObject("SELECT payload FROM business_row WHERE id = ?",
                                        String.class, account);
                                jdbc.update("UPDATE business_row SET payload = ? WHERE id = ?", payload, account);
                            }
                            jdbc.update("INSERT INTO business_row (payload) VALUES (?)", Measured.PADDING);
                            for (int event = 0; event < count; event++) {
                                publisher.publish(Measured.of(event));
                            }
                        });
                    }
                    if (round >= 0) {
                        nanos[variant] += System.nanoTime() - start;
                    }
                }
            }
            double[] perSecond = new double[publishes.length];
            for (int variant = 0; variant < publishes.length; variant++) {
                perSecond[variant] = this.transactions / (nanos[variant] / 1e9);
            }
            return perSecond;
        }
    }

}
