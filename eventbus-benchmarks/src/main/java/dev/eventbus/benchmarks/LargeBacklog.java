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
 * relay draining a smaller one, both measured after the same number of events. The relay runs in a child JVM ({@link BacklogRelay}) that exits
 * on an {@link OutOfMemoryError}.
 */
final class LargeBacklog {

    static final String MAX_HEAP = "256m";

    private final Infrastructure infrastructure;

    LargeBacklog(Infrastructure infrastructure) {
        this.infrastructure = infrastructure;
    }

    /**
     * @param events the backlog
     * @param warmUp the events the relay publishes before the measurement starts
     * @return events per second, the heap's peak use and its peak use after a collection, in bytes
     */
    double[] drain(int events, int warmUp) {
        String topic = this.infrastructure.newTopic("backlog", 6);
        try (TestDatabase database = this.infrastructure.newDatabase()) {
            try (ConfigurableApplicationContext filler = this.infrastructure.start(database, topic,
                    "--eventbus.outbox.relay.enabled=false", "--eventbus.consumer.enabled=false")) {
                RelayThroughput.fill(filler, events);
                filler.getBean(JdbcTemplate.class).execute("ANALYZE eventbus_outbox");
            }
            List<String> arguments = this.infrastructure.arguments(database, topic,
                    List.of("--eventbus.consumer.enabled=false", "--benchmark.events=" + events,
                            "--benchmark.warm-up=" + warmUp));
            try (JavaProcess relay = JavaProcess.start(BacklogRelay.class,
                    List.of("-Xmx" + MAX_HEAP, "-XX:+ExitOnOutOfMemoryError"), arguments)) {
                relay.awaitOutput(BacklogRelay.DRAINED, Duration.ofMinutes(15));
                String line = relay.output()
                    .lines()
                    .filter((candidate) -> candidate.startsWith(BacklogRelay.DRAINED))
                    .findFirst()
                    .orElseThrow();
                return Arrays.stream(line.substring(BacklogRelay.DRAINED.length()).trim().split(" "))
                    .mapToDouble(Double::parseDouble)
                    .toArray();
            }
        }
    }

}
