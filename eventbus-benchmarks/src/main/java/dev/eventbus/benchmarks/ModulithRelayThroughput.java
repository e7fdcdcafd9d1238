package dev.eventbus.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventbus.testsupport.TestDatabase;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Scenario 1 against Spring Modulith: the same events through its JDBC event publication registry
 * and Kafka externalization. First as they are published, in transactions of 1,000, measured from
 * the first publication to the last completion; then the same publications marked incomplete again
 * and resubmitted by a restarted application ({@code republish-outstanding-events-on-restart}), the
 * analogue of eventbus draining a backlog, measured from the first to the last completion.
 */
final class ModulithRelayThroughput {

    private final Infrastructure infrastructure;

    private final int events;

    ModulithRelayThroughput(Infrastructure infrastructure, int events) {
        this.infrastructure = infrastructure;
        this.events = events;
    }

    /**
     * @return events per second as published, and for the resubmitted backlog
     */
    double[] perSecond() {
        try (TestDatabase database = this.infrastructure.newDatabase()) {
            double live;
            try (ConfigurableApplicationContext context = this.infrastructure.startModulith(database,
                    this.infrastructure.newTopic("modulith-live", 6))) {
                JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
                publish(context);
                live = this.events / awaitCompletion(jdbc, "MIN(publication_date)");
            }
            markIncomplete(database);
            try (ConfigurableApplicationContext context = this.infrastructure.startModulith(database,
                    this.infrastructure.newTopic("modulith-backlog", 6),
                    "--spring.modulith.events.republish-outstanding-events-on-restart=true")) {
                double backlog = this.events / awaitCompletion(context.getBean(JdbcTemplate.class),
                        "MIN(completion_date)");
                return new double[] { live, backlog };
            }
        }
    }

    private void publish(ConfigurableApplicationContext context) {
        TransactionTemplate transaction = context.getBean(TransactionTemplate.class);
        for (int first = 0; first < this.events; first += 1000) {
            int from = first;
            transaction.executeWithoutResult((status) -> {
                for (int sequence = from; sequence < from + 1000; sequence++) {
                    context.publishEvent(Measured.of(sequence));
                }
            });
        }
    }

    private static void markIncomplete(TestDatabase database) {
        try (HikariDataSource dataSource = database.createDataSource()) {
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            jdbc.update("UPDATE event_publication SET completion_date = NULL, status = 'PUBLISHED',"
                    + " last_resubmission_date = NULL");
            jdbc.execute("VACUUM ANALYZE event_publication");
        }
    }

    /**
     * Waits until every publication is completed.
     * @param from the SQL expression of the measurement's start
     * @return seconds from the start to the last completion
     */
    private static double awaitCompletion(JdbcTemplate jdbc, String from) {
        Infrastructure.await("Spring Modulith to complete all publications", () -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM event_publication WHERE completion_date IS NULL", Integer.class) == 0, 200);
        return jdbc.queryForObject("SELECT EXTRACT(EPOCH FROM MAX(completion_date) - " + from
                + ") FROM event_publication", Double.class);
    }

}
