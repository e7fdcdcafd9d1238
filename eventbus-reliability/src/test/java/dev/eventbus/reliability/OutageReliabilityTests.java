package dev.eventbus.reliability;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.eventbus.EventPublisher;
import dev.eventbus.testsupport.KafkaBrokerProcess;
import dev.eventbus.testsupport.NatsServerProcess;
import dev.eventbus.testsupport.RabbitBrokerProcess;
import dev.eventbus.testsupport.RestartablePostgres;
import dev.eventbus.testsupport.TestKafka;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker (a separate process) and the database (a PostgreSQL server of its own) go away while
 * the application keeps working, then come back.
 */
class OutageReliabilityTests {

    static final Duration OUTAGE = Duration.ofSeconds(Reliability.scaled(8, 30));

    @Test
    void brokerOutageLetsBusinessTransactionsCommitAndDrainsAfterwards() throws InterruptedException {
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start();
                RestartablePostgres postgres = RestartablePostgres.start()) {
            String topic = Reliability.newTopic(broker.bootstrapServers(), "broker-outage", 3);
            try (ConfigurableApplicationContext worker = Reliability.startWorker(Reliability.workerArguments(
                    postgres.database(), broker.bootstrapServers(), topic, "--eventbus.health.max-outbox-lag=2s",
                    "--spring.kafka.producer.properties.delivery.timeout.ms=3000",
                    "--spring.kafka.producer.properties.request.timeout.ms=1000",
                    "--spring.kafka.producer.properties.max.block.ms=1000"))) {
                survivesOutage("Kafka", worker, broker::kill, broker::restart);
            }
        }
    }

    @Test
    void rabbitMqOutageLetsBusinessTransactionsCommitAndDrainsAfterwards() throws InterruptedException {
        try (RabbitBrokerProcess broker = RabbitBrokerProcess.start();
                RestartablePostgres postgres = RestartablePostgres.start()) {
            String topic = TestKafka.uniqueTopic("rabbit-outage");
            Reliability.declareRabbitQueues(broker.port(), topic);
            try (ConfigurableApplicationContext worker = Reliability.startWorker(Reliability.rabbitWorkerArguments(
                    postgres.database(), broker.port(), topic, "--eventbus.health.max-outbox-lag=2s"))) {
                survivesOutage("RabbitMQ", worker, broker::kill, broker::restart);
            }
        }
    }

    @Test
    void instanceStartedWhileRabbitMqIsDownCommitsAndHandlesEverythingOnceTheBrokerAppears() {
        try (RabbitBrokerProcess broker = RabbitBrokerProcess.start();
                RestartablePostgres postgres = RestartablePostgres.start()) {
            String topic = TestKafka.uniqueTopic("rabbit-down-at-start");
            broker.kill();
            try (ConfigurableApplicationContext worker = Reliability.startWorker(Reliability.rabbitWorkerArguments(
                    postgres.database(), broker.port(), topic))) {
                startsAndDrainsOnceTheBrokerAppears(worker, broker::restart);
            }
        }
    }

    @Test
    void natsServerOutageLetsBusinessTransactionsCommitAndDrainsAfterwards() throws InterruptedException {
        try (NatsServerProcess server = NatsServerProcess.start();
                RestartablePostgres postgres = RestartablePostgres.start()) {
            String topic = TestKafka.uniqueTopic("nats-outage");
            try (ConfigurableApplicationContext worker = Reliability.startWorker(Reliability.natsWorkerArguments(
                    postgres.database(), server.url(), topic, "--eventbus.health.max-outbox-lag=2s"))) {
                survivesOutage("NATS", worker, server::kill, server::restart);
            }
        }
    }

    /**
     * Commits business transactions in a worker that started while its broker was down, starts
     * the broker, and checks that every event is handled once, in per-key order, with none parked.
     */
    private static void startsAndDrainsOnceTheBrokerAppears(ConfigurableApplicationContext worker, Runnable start) {
        JdbcTemplate jdbc = worker.getBean(JdbcTemplate.class);
        AtomicInteger sequence = new AtomicInteger();
        publish(worker, sequence, 50);
        assertThat(Reliability.pending(jdbc)).as("events waiting for the broker").isEqualTo(50);

        start.run();
        publish(worker, sequence, 50);

        await().atMost(Duration.ofSeconds(120))
            .until(() -> Reliability.pending(jdbc) == 0 && Reliability.distinctEffects(jdbc) == sequence.get());
        Reliability.assertExactlyOneEffectPerEventInPerKeyOrder(jdbc, sequence.get());
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM eventbus_outbox_failed", Integer.class))
            .as("events parked").isZero();
    }

    /**
     * Kills the broker under a worker for {@link #OUTAGE} while business transactions keep
     * committing, starts it again, and checks that everything is handled once, in per-key order,
     * and that health was DOWN during the outage and is UP after it.
     */
    private static void survivesOutage(String broker, ConfigurableApplicationContext worker, Runnable kill,
            Runnable restart) throws InterruptedException {
        JdbcTemplate jdbc = worker.getBean(JdbcTemplate.class);
        HealthIndicator health = worker.getBean("eventbusHealthIndicator", HealthIndicator.class);
        AtomicInteger sequence = new AtomicInteger();
        publish(worker, sequence, 50);
        await().atMost(Duration.ofSeconds(60)).until(() -> Reliability.distinctEffects(jdbc) == 50);

        kill.run();
        long outageEnd = System.nanoTime() + OUTAGE.toNanos();
        boolean sawDown = false;
        while (System.nanoTime() < outageEnd) {
            publish(worker, sequence, 10);
            sawDown |= health.health(true).getStatus().equals(Status.DOWN);
            Thread.sleep(500);
        }
        int committedDuringOutage = sequence.get() - 50;
        assertThat(Reliability.pending(jdbc)).as("events waiting for the broker").isPositive();
        assertThat(sawDown).as("health DOWN during the outage").isTrue();
        restart.run();

        await().atMost(Duration.ofSeconds(120))
            .until(() -> Reliability.pending(jdbc) == 0 && Reliability.distinctEffects(jdbc) == sequence.get());
        await().atMost(Duration.ofSeconds(30)).until(() -> health.health(true).getStatus().equals(Status.UP));
        Reliability.assertExactlyOneEffectPerEventInPerKeyOrder(jdbc, sequence.get());
        System.out.printf("%s down %d s: %d events committed during the outage, all handled once%n", broker,
                OUTAGE.toSeconds(), committedDuringOutage);
    }

    @Test
    void databaseOutageUnderTheConsumerLosesNothingAndDuplicatesNoEffect() {
        try (RestartablePostgres postgres = RestartablePostgres.start()) {
            String topic = Reliability.newTopic(TestKafka.bootstrapServers(), "database-outage", 3);
            try (ConfigurableApplicationContext worker = Reliability.startWorker(
                    Reliability.workerArguments(postgres.database(), TestKafka.bootstrapServers(), topic))) {
                JdbcTemplate jdbc = worker.getBean(JdbcTemplate.class);
                AtomicInteger sequence = new AtomicInteger();
                publish(worker, sequence, 200);
                await().atMost(Duration.ofSeconds(60)).until(() -> Reliability.distinctEffects(jdbc) > 50);

                postgres.stop();
                Reliability.sendRawTicks(TestKafka.bootstrapServers(), topic, 100);
                try {
                    Thread.sleep(OUTAGE.toMillis());
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                postgres.restart();

                await().atMost(Duration.ofSeconds(120))
                    .until(() -> Reliability.pending(jdbc) == 0 && Reliability.distinctEffects(jdbc) == 300);
                publish(worker, sequence, 50);
                await().atMost(Duration.ofSeconds(60)).until(() -> Reliability.distinctEffects(jdbc) == 350);
                Reliability.assertExactlyOneEffectPerEventInPerKeyOrder(jdbc, 250);
                assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM effect", Integer.class)).isEqualTo(350);
                System.out.printf("database down %d s under relay and consumer: 250 outbox events and 100 records"
                        + " arriving during the outage, all handled once%n", OUTAGE.toSeconds());
            }
        }
    }

    private static void publish(ConfigurableApplicationContext worker, AtomicInteger sequence, int count) {
        TransactionTemplate transaction = worker.getBean(TransactionTemplate.class);
        EventPublisher events = worker.getBean(EventPublisher.class);
        transaction.executeWithoutResult((status) -> {
            for (int i = 0; i < count; i++) {
                int next = sequence.getAndIncrement();
                events.publish(new Tick("key-" + (next % 10), next));
            }
        });
    }

}
