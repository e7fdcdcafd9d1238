package dev.eventbus.schema;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BatchedDeletesTests {

    @Test
    void deletesBatchAfterBatchUntilOneIsNotFull() {
        AtomicInteger remaining = new AtomicInteger(2_500);

        int deleted = BatchedDeletes.untilExhausted((limit) -> take(remaining, limit));

        assertThat(deleted).isEqualTo(2_500);
        assertThat(remaining).hasValue(0);
    }

    @Test
    void stopsBeforeTheNextBatchOnceTheCallerStops() {
        AtomicInteger remaining = new AtomicInteger(10_000_000);
        AtomicInteger batches = new AtomicInteger();

        int deleted = BatchedDeletes.untilExhausted((limit) -> {
            batches.incrementAndGet();
            return take(remaining, limit);
        }, () -> batches.get() == 3);

        assertThat(deleted).isEqualTo(3_000);
    }

    @Test
    void stopsBeforeTheNextBatchWhenTheThreadIsInterrupted() {
        AtomicInteger remaining = new AtomicInteger(10_000_000);
        try {
            int deleted = BatchedDeletes.untilExhausted((limit) -> {
                Thread.currentThread().interrupt();
                return take(remaining, limit);
            });

            assertThat(deleted).isEqualTo(1_000);
        }
        finally {
            Thread.interrupted();
        }
    }

    private static int take(AtomicInteger remaining, int limit) {
        int taken = Math.min(limit, remaining.get());
        remaining.addAndGet(-taken);
        return taken;
    }

}
