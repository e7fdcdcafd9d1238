package dev.eventbus.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import dev.eventbus.EventPublisher;
import dev.eventbus.test.JavaProcess;
import dev.eventbus.test.TestDatabase;
import dev.eventbus.test.TestDatabases;
import dev.eventbus.test.TestKafka;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import static org.awaitility.Awaitility.await;

/**
 * Three application instances, child JVMs that relay and consume, are killed with SIGKILL at
 * random moments and started again while events are published. Every committed event must end
 * with exactly one effect, in per-key order.
 */
class KillNineReliabilityTests {

    static final int EVENTS = Reliability.scaled(4_000, 100_000);

    static final int KILLS = Reliability.scaled(4, 20);

    static final int INSTANCES = 3;

    static final int KEYS = 100;

    @Test
    void everyEventHasExactlyOneEffectInPerKeyOrderDespiteKills() throws Exception {
        String topic = Reliability.newTopic(TestKafka.bootstrapServers(), "kill9", 6);
        try (TestDatabase database = TestDatabases.embeddedPostgres();
                ConfigurableApplicationContext publisher = Reliability.startWorker(Reliability.workerArguments(database,
                        TestKafka.bootstrapServers(), topic, "--eventbus.outbox.relay.enabled=false",
                        "--eventbus.consumer.enabled=false"))) {
            List<String> workerArguments = Reliability.workerArguments(database, TestKafka.bootstrapServers(), topic,
                    "--logging.level.dev.eventbus=info");
            List<JavaProcess> workers = new ArrayList<>();
            for (int i = 0; i < INSTANCES; i++) {
                workers.add(JavaProcess.start(ReliabilityWorker.class, "320m", workerArguments));
            }
            long start = System.nanoTime();
            CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> publish(publisher));
            Random random = new Random(42);
            Duration killInterval = Duration.ofMillis(Reliability.scaled(2_500, 4_000));
            try {
                for (int kill = 0; kill < KILLS; kill++) {
                    Thread.sleep(killInterval.toMillis());
                    int victim = random.nextInt(INSTANCES);
                    workers.get(victim).kill();
                    workers.set(victim, JavaProcess.start(ReliabilityWorker.class, "320m", workerArguments));
                }
                publishing.get();
                JdbcTemplate jdbc = publisher.getBean(JdbcTemplate.class);
                await().atMost(Duration.ofMinutes(Reliability.scaled(3, 15)))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> Reliability.pending(jdbc) == 0 && Reliability.distinctEffects(jdbc) == EVENTS);
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

                Reliability.assertExactlyOneEffectPerEventInPerKeyOrder(jdbc, EVENTS);
                System.out.printf("kill -9: %d events, %d kills of %d instances, all handled once in per-key order"
                        + " in %.1f s%n", EVENTS, KILLS, INSTANCES, elapsed.toMillis() / 1000.0);
            }
            finally {
                workers.forEach(JavaProcess::kill);
            }
        }
    }

    private static void publish(ConfigurableApplicationContext publisher) {
        TransactionTemplate transaction = publisher.getBean(TransactionTemplate.class);
        EventPublisher events = publisher.getBean(EventPublisher.class);
        int perTransaction = 20;
        long pauseNanos = Duration.ofSeconds(Reliability.scaled(12, 90)).toNanos() / (EVENTS / perTransaction);
        for (int first = 0; first < EVENTS; first += perTransaction) {
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

}
