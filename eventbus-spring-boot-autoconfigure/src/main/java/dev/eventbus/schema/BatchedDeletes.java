package dev.eventbus.schema;

import java.util.function.BooleanSupplier;
import java.util.function.IntUnaryOperator;

/**
 * Repeats a bounded delete statement until it deletes less than a full batch, so that clean-up of
 * large tables never runs one long statement that locks many rows.
 */
public final class BatchedDeletes {

    private static final int BATCH_SIZE = 1000;

    private BatchedDeletes() {
    }

    /**
     * Runs batch after batch.
     * @param deleteAtMost deletes at most the given number of rows and returns how many it deleted
     * @return the number of rows deleted in all
     */
    public static int untilExhausted(IntUnaryOperator deleteAtMost) {
        return untilExhausted(deleteAtMost, () -> false);
    }

    /**
     * Runs batch after batch until the rows are exhausted, the current thread is interrupted or
     * the caller stops, so that a large clean-up never holds up a shutdown.
     * @param deleteAtMost deletes at most the given number of rows and returns how many it deleted
     * @param stopped tells whether to stop before the next batch
     * @return the number of rows deleted in all
     */
    public static int untilExhausted(IntUnaryOperator deleteAtMost, BooleanSupplier stopped) {
        int total = 0;
        int deleted;
        do {
            deleted = deleteAtMost.applyAsInt(BATCH_SIZE);
            total += deleted;
        }
        while (deleted == BATCH_SIZE && !stopped.getAsBoolean() && !Thread.currentThread().isInterrupted());
        return total;
    }

}
