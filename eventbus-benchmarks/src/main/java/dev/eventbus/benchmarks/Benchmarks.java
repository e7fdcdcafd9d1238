package dev.eventbus.benchmarks;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.eventbus.testsupport.TestDatabase;
import org.HdrHistogram.Histogram;

/**
 * Runs the benchmark scenarios against a broker process and PostgreSQL, and prints the table.
 * Relay throughput and end-to-end latency are also measured for Spring Modulith's JDBC event
 * publication registry with Kafka externalization, on the same broker and PostgreSQL. A relay run
 * of the full size warms the JVM, the broker and PostgreSQL up first. {@code --quick} runs small
 * counts to check the harness; {@code --only=relay,consumer} runs only the scenarios named
 * (relay, latency, publish, consumer, growth, notify, rabbitmq, nats, backlog; modulith adds Spring Modulith
 * to relay and latency). The rabbitmq and nats scenarios use the machine's RabbitMQ on
 * 127.0.0.1:5672 and NATS server on 127.0.0.1:4222.
 */
public final class Benchmarks {

    private static final int RUNS = 2;

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        Set<String> only = Arrays.stream(args)
            .filter((arg) -> arg.startsWith("--only="))
            .flatMap((arg) -> Arrays.stream(arg.substring("--only=".length()).split(",")))
            .collect(Collectors.toSet());
        Predicate<String> runs = (scenario) -> only.isEmpty() || only.contains(scenario);
        int events = quick ? 20_000 : 200_000;
        Results results = new Results();
        try (Infrastructure infrastructure = new Infrastructure()) {
            run(runs, "relay", () -> relay(infrastructure, events, results, runs.test("modulith")));
            run(runs, "latency", () -> latency(infrastructure, quick, results, runs.test("modulith")));
            run(runs, "publish", () -> publish(infrastructure, quick, results));
            run(runs, "consumer", () -> consumer(infrastructure, events, results));
            run(runs, "growth", () -> growth(infrastructure, events, quick, results));
            run(runs, "notify", () -> notify(infrastructure, quick, results));
            run(runs, "rabbitmq", () -> rabbitmq(infrastructure, quick, results));
            run(runs, "nats", () -> nats(infrastructure, quick, results));
            run(runs, "backlog", () -> backlog(infrastructure, quick, results));
        }
        String table = results.table();
        System.out.println();
        System.out.println(table);
        System.exit(0);
    }

    private static void run(Predicate<String> runs, String scenario, Scenario body) throws Exception {
        if (runs.test(scenario)) {
            body.run();
        }
    }

    private static void relay(Infrastructure infrastructure, int events, Results results, boolean withModulith)
            throws Exception {
        System.out.println("1. relay throughput, " + events + " pending events of about 300 bytes over 1,000 keys");
        RelayThroughput relay = new RelayThroughput(infrastructure, events);
        relay.rawProducerPerSecond();
        relay.warmUp();
        double raw = 0;
        double relayed = 0;
        double naive = 0;
        long compilationMillis = 0;
        for (int run = 0; run < RUNS; run++) {
            raw += relay.rawProducerPerSecond() / RUNS;
            RelayThroughput.Drain drain = relay.relayPerSecond(0);
            relayed += drain.perSecond() / RUNS;
            compilationMillis += drain.compilationMillis();
            naive += relay.naiveLoopPerSecond() / RUNS;
        }
        results.add("1 relay throughput", "raw KafkaProducer, same records", rate(raw), "ceiling");
        results.add("1 relay throughput", "eventbus relay", rate(relayed), ratio(relayed / raw) + " of raw; JIT "
                + String.format("%,d ms", compilationMillis / RUNS) + " per drain");
        results.add("1 relay throughput", "naive one-thread claim, send, mark loop (no lanes)", rate(naive),
                ratio(naive / raw) + " of raw; eventbus " + ratio(relayed / naive) + " of it");
        if (!withModulith) {
            return;
        }
        System.out.println("1. relay throughput, Spring Modulith");
        double[] modulith = new ModulithRelayThroughput(infrastructure, events).perSecond();
        results.add("1 relay throughput", "Spring Modulith, externalized as published", rate(modulith[0]),
                ratio(modulith[0] / raw) + " of raw");
        results.add("1 relay throughput", "Spring Modulith, backlog resubmitted on restart", rate(modulith[1]),
                ratio(modulith[1] / raw) + " of raw");
        results.add("1 relay throughput", "eventbus relay vs Spring Modulith",
                ratio(relayed / modulith[1]) + " / " + ratio(relayed / modulith[0]), "backlog / as published");
    }

    private static void latency(Infrastructure infrastructure, boolean quick, Results results, boolean withModulith)
            throws Exception {
        System.out.println("2. end-to-end latency");
        EndToEndLatency latency = new EndToEndLatency(infrastructure, 1000, Duration.ofSeconds(quick ? 10 : 60));
        Histogram eventbus = latency.measure();
        results.add("2 end-to-end latency, 1,000 events/s", "p50 / p95 / p99 / max", percentiles(eventbus),
                eventbus.getTotalCount() + " events");
        if (!withModulith) {
            return;
        }
        System.out.println("2. end-to-end latency, Spring Modulith");
        Histogram modulithLatency = latency.measureModulith();
        results.add("2 end-to-end latency, 1,000 events/s", "Spring Modulith p50 / p95 / p99 / max",
                percentiles(modulithLatency), modulithLatency.getTotalCount() + " events");
    }

    private static void publish(Infrastructure infrastructure, boolean quick, Results results) throws Exception {
        System.out.println("3. publish overhead");
        PublishOverhead publishOverhead = new PublishOverhead(infrastructure, quick ? 2_000 : 10_000);
        addPublishOverhead(results, "", publishOverhead.transactionsPerSecond(infrastructure.newDatabase()));
        TestDatabase server = infrastructure.newServerDatabase();
        if (server != null) {
            addPublishOverhead(results, ", " + server.name(), publishOverhead.transactionsPerSecond(server));
        }
    }

    private static void consumer(Infrastructure infrastructure, int events, Results results) throws Exception {
        System.out.println("4. consumer throughput");
        double[] consumers = new ConsumerThroughput(infrastructure, events).recordsPerSecond(RUNS);
        results.add("4 consumer throughput", "plain @KafkaListener, no dedup", rate(consumers[1]), "ceiling");
        results.add("4 consumer throughput", "idempotent @EventHandler", rate(consumers[0]),
                ratio(consumers[0] / consumers[1]) + " of plain");
        System.out.println("4. consumer throughput, one business row written per event");
        double[] writing = new ConsumerThroughput(infrastructure, events).writingRecordsPerSecond(RUNS);
        results.add("4 consumer throughput, one row written per event",
                "plain batch @KafkaListener, one transaction per poll, no dedup", rate(writing[1]), "baseline");
        results.add("4 consumer throughput, one row written per event", "idempotent @EventHandler",
                rate(writing[0]), ratio(writing[0] / writing[1]) + " of plain");
    }

    private static void growth(Infrastructure infrastructure, int events, boolean quick, Results results)
            throws Exception {
        RelayThroughput relay = new RelayThroughput(infrastructure, events);
        RelayThroughput.Drain reference = null;
        for (int rows : quick ? new int[] { 0, 10_000, 100_000 } : new int[] { 0, 100_000, 1_000_000 }) {
            System.out.println("5. growth with " + rows + " published rows and processed ids retained");
            RelayThroughput.Drain grown = relay.relayPerSecond(rows);
            reference = (reference != null) ? reference : grown;
            results.add("5 growth", String.format("relay, %,d rows retained; scrape", rows),
                    rate(grown.perSecond()) + "; " + String.format("%.1f ms", grown.scrapeMillis()),
                    (rows == 0) ? "reference" : ratio(grown.perSecond() / reference.perSecond()) + " of reference");
        }
    }

    private static void notify(Infrastructure infrastructure, boolean quick, Results results) throws Exception {
        ConcurrentPublishers publishers = new ConcurrentPublishers(infrastructure, quick ? 1_000 : 4_000);
        concurrentPublishers(publishers, infrastructure.newDatabase(), infrastructure::newDatabase, "", results);
        TestDatabase server = infrastructure.newServerDatabase();
        if (server != null) {
            concurrentPublishers(publishers, server, () -> Objects.requireNonNull(infrastructure.newServerDatabase(),
                    "The PostgreSQL server stopped answering"), ", " + server.name(), results);
        }
    }

    /**
     * Runs 1, 8 and 32 threads with a connection each, and 32 threads on a pool of Hikari's
     * default size, the first on the given database, each other on a new one.
     */
    private static void concurrentPublishers(ConcurrentPublishers publishers, TestDatabase first,
            Supplier<TestDatabase> databases, String database, Results results) throws Exception {
        System.out.println("6. concurrent publishers, 1 thread" + database);
        double[] oneThread = publishers.transactionsPerSecond(first, 1);
        addConcurrentPublishers(results, database, 1, oneThread, oneThread);
        for (int threads : new int[] { 8, 32 }) {
            System.out.println("6. concurrent publishers, " + threads + " threads" + database);
            addConcurrentPublishers(results, database, threads,
                    publishers.transactionsPerSecond(databases.get(), threads), oneThread);
        }
        int defaultPool = 10;
        String pool = database + ", pool of " + defaultPool;
        System.out.println("6. concurrent publishers, 32 threads" + pool);
        addConcurrentPublishers(results, pool, 32, publishers.transactionsPerSecond(databases.get(), 32, defaultPool),
                oneThread);
    }

    private static void addConcurrentPublishers(Results results, String database, int threads, double[] perSecond,
            double[] oneThread) {
        String label = (threads == 1) ? "1 thread" : threads + " threads";
        String scenario = "6 concurrent publishers" + database + ", " + label;
        for (int variant = 0; variant < perSecond.length; variant++) {
            results.add(scenario, ConcurrentPublishers.VARIANTS[variant], rate(perSecond[variant]) + " tx",
                    (variant == 0) ? "baseline" : ratio(perSecond[0] / perSecond[variant]) + " of baseline time");
        }
        if (threads > 1) {
            int eventbus = ConcurrentPublishers.VARIANTS.length - 1;
            results.add(scenario, "eventbus (coalesced notifier) vs 1 thread", ratio(perSecond[eventbus] / oneThread[eventbus]),
                    "events/s of " + threads + " threads / 1 thread");
        }
    }

    private static void backlog(Infrastructure infrastructure, boolean quick, Results results) {
        LargeBacklog backlog = new LargeBacklog(infrastructure);
        int warmUp = quick ? 5_000 : 50_000;
        int small = quick ? 20_000 : 200_000;
        int large = quick ? 100_000 : 1_000_000;
        String scenario = "9 backlog, one relay with -Xmx" + LargeBacklog.MAX_HEAP;
        String window = String.format("events %,d to %,d", warmUp, small);
        System.out.println("9. backlog of " + small + " events, relay with -Xmx" + LargeBacklog.MAX_HEAP);
        LargeBacklog.Drain reference = backlog.drain(small, warmUp, small);
        results.add(scenario, String.format("%,d events: %s; heap peak, after GC", small, window),
                rate(reference.windowPerSecond()) + heap(reference), "reference");
        System.out.println("9. backlog of " + large + " events, relay with -Xmx" + LargeBacklog.MAX_HEAP);
        LargeBacklog.Drain drained = backlog.drain(large, warmUp, small);
        results.add(scenario, String.format("%,d events: %s; heap peak, after GC", large, window),
                rate(drained.windowPerSecond()) + heap(drained),
                ratio(drained.windowPerSecond() / reference.windowPerSecond()) + " of the smaller backlog");
        results.add(scenario, String.format("%,d events: events %,d to %,d", large, warmUp, large),
                rate(drained.perSecond()), ratio(drained.perSecond() / reference.windowPerSecond())
                        + " of the smaller backlog");
    }

    private static String heap(LargeBacklog.Drain drain) {
        return String.format("; %.0f MB, %.0f MB", drain.heapPeak() / 1e6, drain.heapAfterCollection() / 1e6);
    }

    private static void rabbitmq(Infrastructure infrastructure, boolean quick, Results results) throws Exception {
        int events = quick ? 10_000 : 50_000;
        try (RabbitScenarios rabbit = new RabbitScenarios(infrastructure, events)) {
            broker("7", "RabbitMQ", "raw RabbitTemplate, confirms, same messages", "plain @RabbitListener, no dedup",
                    rabbit, events, quick, results);
        }
    }

    private static void nats(Infrastructure infrastructure, boolean quick, Results results) throws Exception {
        int events = quick ? 10_000 : 50_000;
        try (NatsScenarios nats = new NatsScenarios(infrastructure, events)) {
            broker("8", "NATS", "raw jnats async JetStream publisher, same messages",
                    "plain jnats pull subscriber, no dedup", nats, events, quick, results);
        }
    }

    private static void broker(String number, String broker, String rawPublisher, String plainConsumer,
            BrokerScenarios scenarios, int events, boolean quick, Results results) throws Exception {
        System.out.println(number + ". " + broker + " relay throughput, " + events + " pending events");
        scenarios.rawPublisherPerSecond();
        double raw = 0;
        double relayed = 0;
        for (int run = 0; run < RUNS; run++) {
            raw += scenarios.rawPublisherPerSecond() / RUNS;
            relayed += scenarios.relayPerSecond() / RUNS;
        }
        String relay = number + " " + broker + " relay";
        results.add(relay, rawPublisher, rate(raw), "ceiling");
        results.add(relay, "eventbus relay", rate(relayed), ratio(relayed / raw) + " of raw");
        System.out.println(number + ". " + broker + " consumer throughput");
        double handler = 0;
        double plain = 0;
        for (int run = 0; run < RUNS; run++) {
            double[] consumers = scenarios.consumerPerSecond(run);
            handler += consumers[0] / RUNS;
            plain += consumers[1] / RUNS;
        }
        String consumer = number + " " + broker + " consumer";
        results.add(consumer, plainConsumer, rate(plain), "ceiling");
        results.add(consumer, "idempotent @EventHandler", rate(handler), ratio(handler / plain) + " of plain");
        System.out.println(number + ". " + broker + " end-to-end latency");
        Histogram latency = scenarios.latency(1000, Duration.ofSeconds(quick ? 10 : 60));
        results.add(number + " " + broker + " end-to-end latency, 1,000 events/s", "p50 / p95 / p99 / max",
                percentiles(latency), latency.getTotalCount() + " events");
    }

    /**
     * One scenario of the run.
     */
    @FunctionalInterface
    private interface Scenario {

        void run() throws Exception;

    }

    private static void addPublishOverhead(Results results, String database, double[] publish) {
        results.add("3 publish overhead" + database, "insert one row, no publish", rate(publish[0]) + " tx",
                "baseline");
        results.add("3 publish overhead" + database, "insert one row + 1 publish", rate(publish[1]) + " tx",
                ratio(publish[0] / publish[1]) + " of baseline time");
        results.add("3 publish overhead" + database, "insert one row + 10 publishes", rate(publish[2]) + " tx",
                ratio(publish[0] / publish[2]) + " of baseline time");
        results.add("3 publish overhead" + database, "select, update, insert, no publish", rate(publish[3]) + " tx",
                "baseline");
        results.add("3 publish overhead" + database, "select, update, insert + 1 publish", rate(publish[4]) + " tx",
                ratio(publish[3] / publish[4]) + " of baseline time");
    }

    private static String rate(double perSecond) {
        return String.format("%,.0f/s", perSecond);
    }

    private static String ratio(double ratio) {
        return String.format("%.2f x", ratio);
    }

    private static String percentiles(Histogram histogram) {
        return millis(histogram.getValueAtPercentile(50)) + " / " + millis(histogram.getValueAtPercentile(95)) + " / "
                + millis(histogram.getValueAtPercentile(99)) + " / " + millis(histogram.getMaxValue());
    }

    private static String millis(long nanos) {
        return String.format("%.1f ms", nanos / 1e6);
    }

}
