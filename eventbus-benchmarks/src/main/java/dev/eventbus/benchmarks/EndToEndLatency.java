package dev.eventbus.benchmarks;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import dev.eventbus.EventPublisher;
import dev.eventbus.testsupport.TestDatabase;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Scenario 2: one event per transaction at a fixed rate, from just before the commit to the
 * receiving application context, after a warm-up: eventbus's relay to an {@code @EventHandler}, and
 * Spring Modulith's externalization to a plain {@code @KafkaListener}.
 */
final class EndToEndLatency {

    private static final Duration MIN_WARM_UP = Duration.ofSeconds(5);

    private static final Duration MAX_WARM_UP = Duration.ofSeconds(90);

    private static final long SETTLED_COMPILATION_MILLIS_PER_SECOND = 50;

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
            EventPublisher events = publisher.getBean(EventPublisher.class);
            return measure(publisher, events::publish,
                    consumer.getBean(BenchmarkApplication.MeasuredHandler.class).latencies);
        }
    }

    Histogram measureModulith() {
        String topic = this.infrastructure.newTopic("modulith-latency", 3);
        try (TestDatabase database = this.infrastructure.newDatabase();
                ConfigurableApplicationContext publisher = this.infrastructure.startModulith(database, topic);
                ConfigurableApplicationContext consumer = this.infrastructure.startModulith(database, topic,
                        "--benchmark.listener=true", "--spring.modulith.events.externalization.enabled=false")) {
            return measure(publisher, publisher::publishEvent,
                    consumer.getBean(ModulithApplication.LatencyListener.class).latencies);
        }
    }

    private Histogram measure(ConfigurableApplicationContext publisher, Consumer<Measured> publish,
            Recorder latencies) {
        return measure(publisher, publish, latencies, this.perSecond, this.duration);
    }

    /**
     * Publishes one event per transaction at a fixed rate, first to warm up, then for the measured
     * time, and returns the latencies the receiving side recorded meanwhile; shared by the latency
     * scenarios of every broker.
     */
    static Histogram measure(ConfigurableApplicationContext publisher, Consumer<Measured> publish, Recorder latencies,
            int perSecond, Duration duration) {
        warmUp(publisher, publish, perSecond);
        latencies.getIntervalHistogram();
        OptionalLong scansBefore = pendingIndexScans(publisher);
        long sent = publishAtRate(publisher, publish, perSecond, duration);
        Infrastructure.sleep(2000);
        Histogram histogram = latencies.getIntervalHistogram();
        OptionalLong scansAfter = pendingIndexScans(publisher);
        String scans = (scansBefore.isPresent() && scansAfter.isPresent()) ? String.format(Locale.ROOT,
                ", %.2f scans of the pending-row index per event", (scansAfter.getAsLong() - scansBefore.getAsLong())
                        / (double) sent) : "";
        System.out.println("  latency run: " + sent + " events sent, " + histogram.getTotalCount() + " measured"
                + scans);
        return histogram;
    }

    /**
     * Publishes at the rate for at least {@link #MIN_WARM_UP} and until the JIT compiler of this
     * JVM is nearly idle: on two cores the compiler threads of a freshly started application take
     * a third of a core for about a minute, which a long-running service does not pay.
     */
    private static void warmUp(ConfigurableApplicationContext publisher, Consumer<Measured> publish, int perSecond) {
        CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        long start = System.nanoTime();
        long compiled = compiler.getTotalCompilationTime();
        while (true) {
            publishAtRate(publisher, publish, perSecond, Duration.ofSeconds(1));
            long compiledNow = compiler.getTotalCompilationTime();
            Duration warm = Duration.ofNanos(System.nanoTime() - start);
            boolean settled = compiledNow - compiled < SETTLED_COMPILATION_MILLIS_PER_SECOND;
            compiled = compiledNow;
            if ((settled && warm.compareTo(MIN_WARM_UP) >= 0) || warm.compareTo(MAX_WARM_UP) >= 0) {
                System.out.println("  warmed up for " + warm.toSeconds() + " s (JIT compiler "
                        + (settled ? "settled" : "still busy") + ")");
                return;
            }
        }
    }

    /**
     * How often PostgreSQL has read the outbox's pending-row index, which each relay round reads
     * twice and a round that finds nothing once; empty without an eventbus outbox on PostgreSQL.
     */
    private static OptionalLong pendingIndexScans(ConfigurableApplicationContext context) {
        List<Long> scans = context.getBean(JdbcTemplate.class).queryForList("SELECT idx_scan FROM pg_stat_user_indexes"
                + " WHERE indexrelname = 'eventbus_outbox_pending'", Long.class);
        return scans.isEmpty() ? OptionalLong.empty() : OptionalLong.of(scans.get(0));
    }

    private static long publishAtRate(ConfigurableApplicationContext context, Consumer<Measured> publish,
            int perSecond, Duration runFor) {
        TransactionTemplate transaction = context.getBean(TransactionTemplate.class);
        long interval = 1_000_000_000L / perSecond;
        long start = System.nanoTime();
        long end = start + runFor.toNanos();
        long sequence = 0;
        for (long next = start; next < end; next += interval) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            long current = sequence++;
            transaction.executeWithoutResult((status) -> publish.accept(Measured.of(current)));
        }
        return sequence;
    }

}
