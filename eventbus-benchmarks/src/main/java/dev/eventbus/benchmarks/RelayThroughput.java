package dev.eventbus.benchmarks;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;

import dev.eventbus.EventPublisher;
import dev.eventbus.testsupport.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Scenarios 1 and 5: draining a backlog of pending outbox rows, against the raw producer sending
 * the same records and a naive relay loop, and with published rows and processed ids already
 * retained.
 */
final class RelayThroughput {

    private static final int NAIVE_ROUND_SIZE = 1000;

    private final Infrastructure infrastructure;

    private final int events;

    RelayThroughput(Infrastructure infrastructure, int events) {
        this.infrastructure = infrastructure;
        this.events = events;
    }

    double rawProducerPerSecond() throws Exception {
        String topic = this.infrastructure.newTopic("raw", 6);
        try (KafkaProducer<String, byte[]> producer = this.infrastructure.rawProducer()) {
            producer.send(Infrastructure.cloudEvent(topic, -1)).get();
            long start = System.nanoTime();
            List<Future<?>> sends = new ArrayList<>(this.events);
            for (int i = 0; i < this.events; i++) {
                sends.add(producer.send(Infrastructure.cloudEvent(topic, i)));
            }
            for (Future<?> send : sends) {
                send.get();
            }
            return this.events / ((System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * Drains backlogs with the relay and the naive loop until the JIT compiler has settled.
     */
    void warmUp() throws Exception {
        CompilerWarmUp.repeat("relay and naive loop", (number) -> String.format("relay %,.0f/s, naive loop %,.0f/s",
                relayPerSecond(0).perSecond(), naiveLoopPerSecond()));
    }

    /**
     * Drains the backlog and measures from the first to the last acknowledgement. The tables are
     * analyzed before, as autovacuum would have done in a running system.
     * @param retainedRows published rows already in the outbox
     * @return the drain's rate, the cost of one Prometheus scrape and the JIT compilation meanwhile
     */
    Drain relayPerSecond(int retainedRows) {
        String topic = this.infrastructure.newTopic("relay", 6);
        try (TestDatabase database = this.infrastructure.newDatabase()) {
            try (ConfigurableApplicationContext filler = this.infrastructure.start(database, topic,
                    "--eventbus.outbox.relay.enabled=false", "--eventbus.consumer.enabled=false")) {
                JdbcTemplate jdbc = filler.getBean(JdbcTemplate.class);
                retain(jdbc, retainedRows);
                fill(filler, this.events);
                jdbc.execute("ANALYZE eventbus_outbox");
            }
            long compiledBefore = CompilerWarmUp.millis();
            try (ConfigurableApplicationContext relay = this.infrastructure.start(database, topic,
                    "--eventbus.consumer.enabled=false")) {
                double perSecond = publishedPerSecond(relay.getBean(JdbcTemplate.class), this.events);
                long compilationMillis = CompilerWarmUp.millis() - compiledBefore;
                return new Drain(perSecond, scrapeMillis(relay), compilationMillis);
            }
        }
    }

    /**
     * The reference of the issue that asked for a faster relay: one thread that claims the 1,000
     * oldest pending rows with {@code FOR UPDATE SKIP LOCKED}, sends them pipelined through the raw
     * producer, marks them in one {@code UPDATE … = ANY (?)} and commits, until the outbox is
     * empty. It has no lanes, so it keeps per-key order only as long as it is the only relay; it
     * shows what the relay's round protocol costs on top of the database and the broker.
     * @return events per second, from the first to the last row marked published
     */
    double naiveLoopPerSecond() throws Exception {
        String topic = this.infrastructure.newTopic("naive", 6);
        try (TestDatabase database = this.infrastructure.newDatabase();
                ConfigurableApplicationContext context = this.infrastructure.start(database, topic,
                        "--eventbus.outbox.relay.enabled=false", "--eventbus.consumer.enabled=false");
                KafkaProducer<String, byte[]> producer = this.infrastructure.rawProducer()) {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            fill(context, this.events);
            jdbc.execute("ANALYZE eventbus_outbox");
            TransactionTemplate transaction = context.getBean(TransactionTemplate.class);
            while (Boolean.TRUE.equals(transaction.execute((status) -> claimSendAndMark(jdbc, producer)))) {
            }
            return publishedPerSecond(jdbc, this.events);
        }
    }

    private static boolean claimSendAndMark(JdbcTemplate jdbc, KafkaProducer<String, byte[]> producer) {
        List<Long> ids = new ArrayList<>(NAIVE_ROUND_SIZE);
        List<Future<?>> sends = new ArrayList<>(NAIVE_ROUND_SIZE);
        jdbc.query("SELECT id, event_id, event_type, event_version, topic, event_key, source, payload, created_at"
                + " FROM eventbus_outbox WHERE published_at IS NULL ORDER BY id LIMIT " + NAIVE_ROUND_SIZE
                + " FOR UPDATE SKIP LOCKED",
                (rs) -> {
                    ProducerRecord<String, byte[]> record = new ProducerRecord<>(rs.getString("topic"),
                            rs.getString("event_key"), rs.getString("payload").getBytes(StandardCharsets.UTF_8));
                    Infrastructure.header(record, "ce_specversion", "1.0");
                    Infrastructure.header(record, "ce_id", rs.getString("event_id"));
                    Infrastructure.header(record, "ce_source", rs.getString("source"));
                    Infrastructure.header(record, "ce_type", rs.getString("event_type"));
                    Infrastructure.header(record, "ce_time", rs.getTimestamp("created_at").toInstant().toString());
                    Infrastructure.header(record, "ce_eventversion", Integer.toString(rs.getInt("event_version")));
                    Infrastructure.header(record, "content-type", "application/json");
                    sends.add(producer.send(record));
                    ids.add(rs.getLong("id"));
                });
        for (Future<?> send : sends) {
            try {
                send.get();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while awaiting the broker", ex);
            }
            catch (ExecutionException ex) {
                throw new IllegalStateException("The broker did not acknowledge a record", ex);
            }
        }
        jdbc.update("UPDATE eventbus_outbox SET published_at = now() WHERE id = ANY (?)",
                (Object) ids.toArray(Long[]::new));
        return !ids.isEmpty();
    }

    /**
     * Fills a new database's outbox with a backlog in an application that neither relays nor
     * consumes, then drains it with an application that relays; shared by the brokers without
     * retained rows.
     * @param start starts an application on the database with the given arguments
     * @param events the backlog
     * @return events per second, from the first to the last event marked published
     */
    static double drainedPerSecond(Function<String[], ConfigurableApplicationContext> start, int events) {
        try (ConfigurableApplicationContext filler = start.apply(new String[] { "--eventbus.outbox.relay.enabled=false",
                "--eventbus.consumer.enabled=false" })) {
            fill(filler, events);
            filler.getBean(JdbcTemplate.class).execute("ANALYZE eventbus_outbox");
        }
        try (ConfigurableApplicationContext relay = start.apply(new String[] { "--eventbus.consumer.enabled=false" })) {
            return publishedPerSecond(relay.getBean(JdbcTemplate.class), events);
        }
    }

    private static double publishedPerSecond(JdbcTemplate jdbc, int events) {
        Infrastructure.await("the relay to drain the outbox", () -> Infrastructure.pending(jdbc) == 0, 200);
        Timestamp[] span = jdbc.queryForObject("SELECT MIN(published_at), MAX(published_at) FROM"
                + " eventbus_outbox WHERE event_type = 'benchmark.measured'",
                (rs, row) -> new Timestamp[] { rs.getTimestamp(1), rs.getTimestamp(2) });
        return events / ((span[1].getTime() - span[0].getTime()) / 1000.0);
    }

    static void fill(ConfigurableApplicationContext context, int events) {
        TransactionTemplate transaction = context.getBean(TransactionTemplate.class);
        EventPublisher publisher = context.getBean(EventPublisher.class);
        for (int first = 0; first < events; first += 1000) {
            int from = first;
            transaction.executeWithoutResult((status) -> {
                for (int sequence = from; sequence < from + 1000; sequence++) {
                    publisher.publish(Measured.of(sequence));
                }
            });
        }
    }

    private static void retain(JdbcTemplate jdbc, int rows) {
        if (rows == 0) {
            return;
        }
        jdbc.update("INSERT INTO eventbus_outbox (event_id, event_type, event_version, topic, event_key, lane, source,"
                + " payload, created_at, published_at) SELECT gen_random_uuid(), 'benchmark.retained', 1, 'retained',"
                + " 'key-' || (n % 1000), n % 64, 'benchmark', repeat('x', 300), now() - interval '1 day',"
                + " now() - interval '1 day' FROM generate_series(1, ?) n", rows);
        jdbc.update("INSERT INTO eventbus_processed_event (consumer_group, event_id, processed_at)"
                + " SELECT 'benchmark', gen_random_uuid(), now() FROM generate_series(1, ?)", rows);
        jdbc.execute("ANALYZE eventbus_outbox");
        jdbc.execute("ANALYZE eventbus_processed_event");
    }

    private static double scrapeMillis(ConfigurableApplicationContext context) {
        PrometheusMeterRegistry registry = context.getBean(PrometheusMeterRegistry.class);
        double worst = 0;
        for (int i = 0; i < 3; i++) {
            Infrastructure.sleep(2_100);
            long start = System.nanoTime();
            registry.scrape();
            worst = Math.max(worst, (System.nanoTime() - start) / 1e6);
        }
        return worst;
    }

    /**
     * One drain of the backlog by the relay.
     *
     * @param perSecond events per second, from the first to the last marked published
     * @param scrapeMillis the slowest of three Prometheus scrapes after the drain
     * @param compilationMillis how long this JVM's JIT compiler worked from the relay's start to
     * the end of the drain
     */
    record Drain(double perSecond, double scrapeMillis, long compilationMillis) {

    }

}
