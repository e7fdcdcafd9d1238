package dev.eventbus.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import dev.eventbus.EventPublisher;
import dev.eventbus.testsupport.JavaProcess;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;
import dev.eventbus.testsupport.TestKafka;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import static org.awaitility.Awaitility.await;

/**
 * Three application instances, child JVMs that publish, relay and consume, are killed with SIGKILL
 * and started again while the test publishes too. Every committed event must end with exactly one
 * effect, in per-key commit order. At the end the instances are killed once more and replaced by
 * instances that only relay and consume, which drain what is left. On Kafka, and on the machine's
 * RabbitMQ and NATS servers.
 */
class KillNineReliabilityTests {

    static final int INSTANCES = 3;

    static final int KEYS = 100;

    static final int RABBITMQ_PORT = 5672;

    static final String NATS_URL = "nats://127.0.0.1:4222";

    @Test
    void killsAtRandomMomentsWhileEventsFlowLeaveExactlyOneEffectPerEventInPerKeyOrder() throws Exception {
        String topic = Reliability.newTopic(TestKafka.bootstrapServers(), "kill9", 6);
        run("random kills", Reliability.scaled(4_000, 100_000), Reliability.scaled(4, 20),
                Duration.ofMillis(Reliability.scaled(2_500, 5_000)), true,
                (database, extra) -> Reliability.workerArguments(database, TestKafka.bootstrapServers(), topic, extra));
    }

    @Test
    void oneOfThreeInstancesKilledEveryTenSecondsKeepsPerKeyOrderAndLosesNothing() throws Exception {
        String topic = Reliability.newTopic(TestKafka.bootstrapServers(), "kill9", 6);
        run("a kill every 10 s", Reliability.scaled(3_000, 30_000), Reliability.scaled(2, 9), Duration.ofSeconds(10),
                false,
                (database, extra) -> Reliability.workerArguments(database, TestKafka.bootstrapServers(), topic, extra));
    }

    @Test
    void killsAtRandomMomentsOnRabbitMqLeaveExactlyOneEffectPerEventInPerKeyOrder() throws Exception {
        String topic = TestKafka.uniqueTopic("kill9-rabbit");
        Reliability.declareRabbitQueues(RABBITMQ_PORT, topic);
        try {
            run("random kills, RabbitMQ", Reliability.scaled(3_000, 20_000), Reliability.scaled(3, 10),
                    Duration.ofMillis(Reliability.scaled(2_500, 5_000)), true,
                    (database, extra) -> Reliability.rabbitWorkerArguments(database, RABBITMQ_PORT, topic, extra));
        }
        finally {
            Reliability.deleteRabbitQueues(RABBITMQ_PORT, topic);
        }
    }

    @Test
    void killsAtRandomMomentsOnNatsLeaveExactlyOneEffectPerEventInPerKeyOrder() throws Exception {
        String topic = TestKafka.uniqueTopic("kill9-nats");
        try {
            run("random kills, NATS", Reliability.scaled(3_000, 20_000), Reliability.scaled(3, 10),
                    Duration.ofMillis(Reliability.scaled(2_500, 5_000)), true,
                    (database, extra) -> Reliability.natsWorkerArguments(database, NATS_URL, topic, extra));
        }
        finally {
            Reliability.deleteNatsStreams(NATS_URL, topic);
        }
    }

    private void run(String scenario, int events, int kills, Duration killInterval, boolean randomMoments,
            Workers broker) throws Exception {
        try (TestDatabase database = TestDatabases.embeddedPostgres();
                ConfigurableApplicationContext publisher = Reliability.startWorker(broker.arguments(database,
                        "--eventbus.outbox.relay.enabled=false", "--eventbus.consumer.enabled=false"))) {
            List<String> workerArguments = broker.arguments(database, "--logging.level.dev.eventbus=info",
                    "--reliability.publish-per-second=50");
            List<JavaProcess> workers = new ArrayList<>();
            for (int i = 0; i < INSTANCES; i++) {
                workers.add(JavaProcess.start(ReliabilityWorker.class, "320m", workerArguments));
            }
            for (JavaProcess worker : workers) {
                worker.awaitOutput("Started ReliabilityWorker", Duration.ofSeconds(90));
            }
            long start = System.nanoTime();
            Duration publishingTime = killInterval.multipliedBy(kills).plusSeconds(2);
            CompletableFuture<Void> publishing = CompletableFuture
                .runAsync(() -> publish(publisher, events, publishingTime));
            Random random = new Random(42);
            try {
                for (int kill = 0; kill < kills; kill++) {
                    long pause = randomMoments ? (long) (killInterval.toMillis() * (0.5 + random.nextDouble()))
                            : killInterval.toMillis();
                    Thread.sleep(pause);
                    int victim = random.nextInt(INSTANCES);
                    workers.get(victim).kill();
                    workers.set(victim, JavaProcess.start(ReliabilityWorker.class, "320m", workerArguments));
                }
                publishing.get();
                workers.forEach((worker) -> worker.kill());
                workers.replaceAll((worker) -> JavaProcess.start(ReliabilityWorker.class, "320m",
                        broker.arguments(database)));
                JdbcTemplate jdbc = publisher.getBean(JdbcTemplate.class);
                int committed = jdbc.queryForObject("SELECT COUNT(*) FROM eventbus_outbox", Integer.class);
                await().atMost(Duration.ofMinutes(Reliability.scaled(3, 15)))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> Reliability.pending(jdbc) == 0 && Reliability.distinctEffects(jdbc) == committed);
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

                Reliability.assertExactlyOneEffectPerEventInPerKeyOrder(jdbc, committed);
                System.out.printf("kill -9 (%s): %d events (%d from the test, %d committed by the killed instances"
                        + " themselves), %d kills of %d instances, all handled once in per-key order in %.1f s%n",
                        scenario, committed, events, committed - events, kills, INSTANCES,
                        elapsed.toMillis() / 1000.0);
            }
            finally {
                workers.forEach(JavaProcess::kill);
            }
        }
    }

    private static void publish(ConfigurableApplicationContext publisher, int count, Duration duration) {
        TransactionTemplate transaction = publisher.getBean(TransactionTemplate.class);
        EventPublisher events = publisher.getBean(EventPublisher.class);
        int perTransaction = 20;
        long pauseNanos = duration.toNanos() / (count / perTransaction);
        for (int first = 0; first < count; first += perTransaction) {
            int from = first;
            long started = System.nanoTime();
            transaction.executeWithoutResult((status) -> {
                for (int sequence = from; sequence < from + perTransaction; sequence++) {
                    events.publish(new Tick("key-" + (sequence % KEYS), sequence));
                }
            });
            long rest = pauseNanos - (System.nanoTime() - started);
            if (rest > 0) {
                try {
                    Thread.sleep(rest / 1_000_000, (int) (rest % 1_000_000));
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * The arguments of a worker on one broker.
     */
    @FunctionalInterface
    interface Workers {

        List<String> arguments(TestDatabase database, String... extra);

    }

}
