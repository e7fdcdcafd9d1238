package dev.eventbus.consumer;

import java.time.Duration;
import java.util.List;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;

/**
 * Builds the resilience4j {@link Retry} that repeats a failing handler transaction: exponential
 * backoff with jitter, and no retry for non-retryable exceptions or malformed records.
 */
public final class HandlerRetry {

    private static final double JITTER = 0.5;

    private HandlerRetry() {
    }

    /**
     * Creates the retry of a consumer group.
     * @param name the name, for resilience4j's events
     * @param settings the group's settings
     * @return the retry, never {@code null}
     */
    public static Retry create(String name, GroupSettings settings) {
        return create(name, settings.maxAttempts(), settings.initialBackoff(), settings.multiplier(),
                settings.maxBackoff(), settings.nonRetryable());
    }

    /**
     * Creates the retry.
     * @param name the name, for resilience4j's events
     * @param maxAttempts attempts per record, the first included
     * @param initialBackoff wait before the second attempt
     * @param multiplier growth of the wait per attempt
     * @param maxBackoff longest wait
     * @param nonRetryable exceptions, and their subclasses, that end the attempts at once
     * @return the retry, never {@code null}
     */
    public static Retry create(String name, int maxAttempts, Duration initialBackoff, double multiplier,
            Duration maxBackoff, List<Class<? extends Throwable>> nonRetryable) {
        long initialMillis = Math.max(1, initialBackoff.toMillis());
        long maxMillis = Math.max(initialMillis, maxBackoff.toMillis());
        RetryConfig config = RetryConfig.custom()
            .maxAttempts(maxAttempts)
            .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(initialMillis, multiplier, JITTER, maxMillis))
            .retryOnException((ex) -> isRetryable(ex, nonRetryable))
            .failAfterMaxAttempts(false)
            .build();
        return Retry.of(name, config);
    }

    private static boolean isRetryable(Throwable ex, List<Class<? extends Throwable>> nonRetryable) {
        Throwable failure = (ex instanceof HandlerTimeoutException && ex.getCause() != null) ? ex.getCause() : ex;
        if (failure instanceof MalformedEventException) {
            return false;
        }
        return nonRetryable.stream().noneMatch((type) -> type.isInstance(failure));
    }

}
