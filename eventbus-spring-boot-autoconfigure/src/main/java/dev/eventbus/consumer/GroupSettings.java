package dev.eventbus.consumer;

import java.time.Duration;
import java.util.List;

/**
 * How the handlers of one consumer group run: the defaults of {@code eventbus.consumer.*} with the
 * overrides of {@code eventbus.consumer.groups.<group>.*}.
 *
 * @param concurrency consuming threads per topic
 * @param handlerTimeout the longest a handler invocation, with its transaction, may run
 * @param maxAttempts attempts per message, the first included
 * @param initialBackoff wait before the second attempt
 * @param multiplier growth of the wait per attempt
 * @param maxBackoff longest wait
 * @param nonRetryable exceptions, and their subclasses, that end the attempts at once
 * @since 0.2.0
 */
public record GroupSettings(int concurrency, Duration handlerTimeout, int maxAttempts, Duration initialBackoff,
        double multiplier, Duration maxBackoff, List<Class<? extends Throwable>> nonRetryable) {

}
