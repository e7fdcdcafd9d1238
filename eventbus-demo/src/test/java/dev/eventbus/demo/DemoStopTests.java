package dev.eventbus.demo;

import java.time.Duration;
import java.util.List;

import dev.eventbus.testsupport.JavaProcess;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo as a user runs it, in a JVM of its own, stopped as by Ctrl+C or {@code kill}.
 */
class DemoStopTests {

    @Test
    void stopsItsServicesBeforeItsBrokerAndDatabaseWithNothingWrongInTheLog() {
        try (JavaProcess demo = JavaProcess.start(DemoApplication.class, "768m", List.of("--demo.any-ports=true"))) {
            demo.awaitOutput("Press Ctrl+C to stop.", Duration.ofMinutes(3));
            int running = demo.output().length();
            long start = System.nanoTime();

            int exitCode = demo.stop(Duration.ofMinutes(1));

            String stopping = demo.output().substring(running);
            System.out.printf("The demo exited %.1f s after SIGTERM%n", (System.nanoTime() - start) / 1e9);
            assertThat(exitCode).isZero();
            assertThat(stopping).contains("Stopped in").doesNotContainPattern("(?i)error|exception|warn");
        }
    }

}
