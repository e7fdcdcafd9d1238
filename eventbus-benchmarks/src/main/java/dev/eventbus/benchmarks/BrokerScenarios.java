package dev.eventbus.benchmarks;

import java.time.Duration;

import org.HdrHistogram.Histogram;

/**
 * The measurements of a broker without partitions of its own (scenarios 7 and 8): relay against
 * the broker client's own publisher, idempotent consumer against a plain listener, and end-to-end
 * latency.
 */
interface BrokerScenarios extends AutoCloseable {

    double rawPublisherPerSecond() throws Exception;

    double relayPerSecond();

    double[] consumerPerSecond(int run) throws Exception;

    Histogram latency(int perSecond, Duration duration);

}
