package dev.eventbus.benchmarks;

import java.sql.Timestamp;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The relay of scenario 9 in a JVM of its own, whose heap the scenario limits: it drains the
 * backlog of {@code benchmark.events} rows in the outbox named on its command line, then prints
 * one line: the drain rate from the {@code benchmark.warm-up}th event on (the JVM starts cold),
 * and the heap peaks in bytes.
 */
public final class BacklogRelay {

    static final String DRAINED = "drained:";

    private BacklogRelay() {
    }

    public static void main(String[] args) {
        HeapPeak heap = HeapPeak.watch();
        try (ConfigurableApplicationContext relay = new SpringApplicationBuilder(BenchmarkApplication.class)
            .web(WebApplicationType.NONE)
            .run(args)) {
            int events = relay.getEnvironment().getRequiredProperty("benchmark.events", Integer.class);
            int warmUp = relay.getEnvironment().getRequiredProperty("benchmark.warm-up", Integer.class);
            JdbcTemplate jdbc = relay.getBean(JdbcTemplate.class);
            Infrastructure.await("the relay to drain the outbox", () -> Infrastructure.pending(jdbc) == 0, 1000);
            Timestamp[] span = jdbc.queryForObject("SELECT (SELECT published_at FROM eventbus_outbox"
                    + " WHERE published_at IS NOT NULL ORDER BY published_at OFFSET ? LIMIT 1),"
                    + " (SELECT MAX(published_at) FROM eventbus_outbox)",
                    (rs, row) -> new Timestamp[] { rs.getTimestamp(1), rs.getTimestamp(2) }, warmUp);
            double perSecond = (events - warmUp) / ((span[1].getTime() - span[0].getTime()) / 1000.0);
            System.out.println(DRAINED + " " + perSecond + " " + heap.used() + " " + heap.liveAfterCollection());
        }
        System.exit(0);
    }

}
