package dev.eventbus.relay;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoopThreadsTests {

    @Test
    void threadsThatOutlivedTheirStopDoNotKeepNewOnesFromStarting() throws InterruptedException {
        LoopThreads threads = new LoopThreads("eventbus-test-loop", 1, true, Duration.ofMillis(50));
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        CountDownLatch secondRunning = new CountDownLatch(1);

        threads.start((stopSignal) -> {
            if (started.incrementAndGet() == 1) {
                awaitQuietly(release);
            }
            else {
                secondRunning.countDown();
                awaitQuietly(stopSignal);
            }
        });
        threads.stop();
        assertThat(threads.isRunning()).as("the first thread ignores its stop").isTrue();

        threads.start((stopSignal) -> {
            started.incrementAndGet();
            secondRunning.countDown();
            awaitQuietly(stopSignal);
        });

        assertThat(secondRunning.await(5, TimeUnit.SECONDS)).isTrue();
        release.countDown();
        threads.stop();
        assertThat(started).hasValue(2);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
