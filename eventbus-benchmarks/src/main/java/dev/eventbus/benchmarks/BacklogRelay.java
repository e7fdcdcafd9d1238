package dev.eventbus.benchmarks;

import java.sql.Timestamp;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The relay of scenario 9 in a JVM of its own, whose heap the scenario limits: it drains the
 * backlog of {@code benchmark.events} rows in the outbox named on its command line, then prints
 * one line: the drain rate of the events from the {@code benchmark.warm-up}th to the
 * {@code benchmark.window-end}th published (the JVM starts cold), the rate from the warm-up to the
 * last event, and the heap peaks in bytes.
 */
public final class BacklogRelay {

    static final String DRAINED = "drained:";

    private BacklogRelay() {
    }

    /**
     * Starts the relay, waits until the outbox is drained and prints the result line.
     * @param args the application's command line, with {@code --benchmark.events},
     * {@code --benchmark.warm-up} and {@code --benchmark.window-end}
     */
    public static void main(String[] args) {
        HeapPeak heap = HeapPeak.watch();
        try (ConfigurableApplicationContext relay = new SpringApplicationBuilder(BenchmarkApplication.class)
            .web(WebApplicationType.NONE)
            .run(args)) {
            int events = relay.getEnvironment().getRequiredProperty("benchmark.events", Integer.class);
            int warmUp = relay.getEnvironment().getRequiredProperty("benchmark.warm-up", Integer.class);
            int windowEnd = relay.getEnvironment().getRequiredProperty("benchmark.window-end", Integer.class);
            JdbcTemplate jdbc = relay.getBean(JdbcTemplate.class);
            Infrastructure.await("the relay to drain the outbox", () -> Infrastructure.pending(jdbc) == 0, 1000);
            Timestamp from = publishedAt(jdbc, warmUp);
            double window = (windowEnd - warmUp) / seconds(from, publishedAt(jdbc, windowEnd - 1));
            double all = (events - warmUp) / seconds(from, publishedAt(jdbc, events - 1));
            System.out.println(DRAINED + " " + window + " " + all + " " + heap.used() + " " + heap.afterCollection());
        }
        System.exit(0);
    }

    private static Timestamp publishedAt(JdbcTemplate jdbc, int position) {
        return jdbc.queryForObject("SELECT published_at FROM eventbus_outbox WHERE published_at IS NOT NULL"
                + " ORDER BY published_at OFFSET ? LIMIT 1", Timestamp.class, position);
    }

    private static double seconds(Timestamp from, Timestamp to) {
        return (to.getTime() - from.getTime()) / 1000.0;
    }

}
