package dev.eventbus.benchmarks;

import dev.eventbus.EventPublisher;
import dev.eventbus.testsupport.TestDatabase;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Scenario 3: transactions that insert one business row, without and with one or ten publishes,
 * alternating in rounds so that drift hits every variant alike.
 */
final class PublishOverhead {

    private final Infrastructure infrastructure;

    private final int transactions;

    PublishOverhead(Infrastructure infrastructure, int transactions) {
        this.infrastructure = infrastructure;
        this.transactions = transactions;
    }

    /**
     * @param database the database to write to, closed afterwards
     * @return transactions per second with 0, 1 and 10 publishes
     */
    double[] transactionsPerSecond(TestDatabase database) {
        String topic = this.infrastructure.newTopic("publish", 6);
        try (database;
                ConfigurableApplicationContext context = this.infrastructure.start(database, topic,
                        "--eventbus.outbox.relay.enabled=false", "--eventbus.consumer.enabled=false")) {
            TransactionTemplate transaction = context.getBean(TransactionTemplate.class);
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            EventPublisher publisher = context.getBean(EventPublisher.class);
            int[] publishes = { 0, 1, 10 };
            long[] nanos = new long[publishes.length];
            int rounds = 10;
            for (int round = -1; round < rounds; round++) {
                for (int variant = 0; variant < publishes.length; variant++) {
                    int count = publishes[variant];
                    long start = System.nanoTime();
                    for (int i = 0; i < this.transactions / rounds; i++) {
                        transaction.executeWithoutResult((status) -> {
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
