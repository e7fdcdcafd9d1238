package dev.eventbus.benchmarks;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import dev.eventbus.testsupport.JavaProcess;
import dev.eventbus.testsupport.TestDatabase;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Scenario 9: one relay instance with a 256 MB heap draining a large backlog, against the same
 * relay draining a smaller one, both measured over the same window of events. The relay runs in a
 * child JVM ({@link BacklogRelay}) that exits on an {@link OutOfMemoryError}.
 */
final class LargeBacklog {

    static final String MAX_HEAP = "256m";

    private final Infrastructure infrastructure;

    LargeBacklog(Infrastructure infrastructure) {
        this.infrastructure = infrastructure;
    }

    /**
     * Fills a new database's outbox with a backlog and drains it with the relay in a child JVM.
     * @param events the backlog
     * @param warmUp the events the relay publishes before the measurement starts
     * @param windowEnd the event at which the window compared between backlogs ends
     * @return what the drain measured
     */
    Drain drain(int events, int warmUp, int windowEnd) {
        String topic = this.infrastructure.newTopic("backlog", 6);
        try (TestDatabase database = this.infrastructure.newDatabase()) {
            try (ConfigurableApplicationContext filler = this.infrastructure.start(database, topic,
                    "--eventbus.outbox.relay.enabled=false", "--eventbus.consumer.enabled=false")) {
                RelayThroughput.fill(filler, events);
                filler.getBean(JdbcTemplate.class).execute("ANALYZE eventbus_outbox");
            }
            List<String> arguments = this.infrastructure.arguments(database, topic,
                    List.of("--eventbus.consumer.enabled=false", "--benchmark.events=" + events,
                            "--benchmark.warm-up=" + warmUp, "--benchmark.window-end=" + windowEnd));
            try (JavaProcess relay = JavaProcess.start(BacklogRelay.class,
                    List.of("-Xmx" + MAX_HEAP, "-XX:+ExitOnOutOfMemoryError"), arguments)) {
                relay.awaitOutput(BacklogRelay.DRAINED, Duration.ofMinutes(11));
                String line = relay.output()
                    .lines()
                    .filter((candidate) -> candidate.startsWith(BacklogRelay.DRAINED))
                    .findFirst()
                    .orElseThrow();
                double[] values = Arrays.stream(line.substring(BacklogRelay.DRAINED.length()).trim().split(" "))
                    .mapToDouble(Double::parseDouble)
                    .toArray();
                return new Drain(values[0], values[1], (long) values[2], (long) values[3]);
            }
        }
    }

    /**
     * What one drain measured.
     * @param windowPerSecond events per second over the window compared between backlogs
     * @param perSecond events per second from the warm-up to the last event
     * @param heapPeak the most heap in use, sampled every 10 ms
     * @param heapAfterCollection the most heap in use right after a collection, an upper bound of
     * what the relay keeps alive
     */
    record Drain(double windowPerSecond, double perSecond, long heapPeak, long heapAfterCollection) {
    }

}
