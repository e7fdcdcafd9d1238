package dev.eventbus.benchmarks;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import dev.eventbus.EventPublisher;
import dev.eventbus.test.TestDatabase;
import org.HdrHistogram.Histogram;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Scenario 2: one event per transaction at a fixed rate, from just before the commit to the
 * {@code @EventHandler} of another application context, after a warm-up.
 */
final class EndToEndLatency {

    private final Infrastructure infrastructure;

    private final int perSecond;

    private final Duration duration;

    EndToEndLatency(Infrastructure infrastructure, int perSecond, Duration duration) {
        this.infrastructure = infrastructure;
        this.perSecond = perSecond;
        this.duration = duration;
    }

    Histogram measure() {
        String topic = this.infrastructure.newTopic("latency", 3);
        try (TestDatabase database = this.infrastructure.newDatabase();
                ConfigurableApplicationContext publisher = this.infrastructure.start(database, topic,
                        "--eventbus.consumer.enabled=false");
                ConfigurableApplicationContext consumer = this.infrastructure.start(database, topic,
                        "--benchmark.handler=true", "--eventbus.outbox.relay.enabled=false")) {
            BenchmarkApplication.MeasuredHandler handler = consumer.getBean(BenchmarkApplication.MeasuredHandler.class);
            publishAtRate(publisher, Duration.ofSeconds(5));
            handler.latencies.getIntervalHistogram();
            long sent = publishAtRate(publisher, this.duration);
            Infrastructure.sleep(2000);
            Histogram histogram = handler.latencies.getIntervalHistogram();
            System.out.println("  latency run: " + sent + " events sent, " + histogram.getTotalCount() + " measured");
            return histogram;
        }
    }

    private long publishAtRate(ConfigurableApplicationContext context, Duration runFor) {
        TransactionTemplate transaction = context.getBean(TransactionTemplate.class);
        EventPublisher publisher = context.getBean(EventPublisher.class);
        long interval = 1_000_000_000L / this.perSecond;
        long start = System.nanoTime();
        long end = start + runFor.toNanos();
        long sequence = 0;
        for (long next = start; next < end; next += interval) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            long current = sequence++;
            transaction.executeWithoutResult((status) -> publisher.publish(Measured.of(current)));
        }
        return sequence;
    }

}
