package dev.eventbus.schema;

import java.util.function.IntSupplier;

/**
 * Repeats a bounded delete statement until it deletes less than a full batch, so that clean-up of
 * large tables never runs one long statement that locks many rows.
 */
public final class BatchedDeletes {

    private BatchedDeletes() {
    }

    /**
     * Runs batch after batch.
     * @param deleteBatch deletes at most {@code batchSize} rows and returns how many it deleted
     * @param batchSize the most rows one batch deletes
     * @return the number of rows deleted in all
     */
    public static int untilExhausted(IntSupplier deleteBatch, int batchSize) {
        int total = 0;
        int deleted;
        do {
            deleted = deleteBatch.getAsInt();
            total += deleted;
        }
        while (deleted == batchSize);
        return total;
    }

}
