package dev.eventbus.consumer;

import java.util.List;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;

/**
 * Builds the resilience4j {@link Retry} that repeats a failing handler transaction: exponential
 * backoff with jitter, and no retry for non-retryable exceptions or malformed records. A
 * {@link java.lang.Error} a handler threw is matched against the non-retryable classes itself.
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
        long initialMillis = Math.max(1, settings.initialBackoff().toMillis());
        long maxMillis = Math.max(initialMillis, settings.maxBackoff().toMillis());
        List<Class<? extends Throwable>> nonRetryable = settings.nonRetryable();
        RetryConfig config = RetryConfig.custom()
            .maxAttempts(settings.maxAttempts())
            .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(initialMillis, settings.multiplier(), JITTER,
                    maxMillis))
            .retryOnException((ex) -> isRetryable(ex, nonRetryable))
            .failAfterMaxAttempts(false)
            .build();
        return Retry.of(name, config);
    }

    private static boolean isRetryable(Throwable ex, List<Class<? extends Throwable>> nonRetryable) {
        Throwable failure = ((ex instanceof HandlerTimeoutException || ex instanceof HandlerErrorException)
                && ex.getCause() != null) ? ex.getCause() : ex;
        if (failure instanceof MalformedEventException) {
            return false;
        }
        return nonRetryable.stream().noneMatch((type) -> type.isInstance(failure));
    }

}
