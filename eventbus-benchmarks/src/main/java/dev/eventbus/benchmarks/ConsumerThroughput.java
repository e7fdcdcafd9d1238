package dev.eventbus.benchmarks;

import java.util.concurrent.atomic.AtomicLong;

import dev.eventbus.test.TestDatabase;
import org.apache.kafka.clients.producer.KafkaProducer;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scenario 4: records consumed by an idempotent {@code @EventHandler} (deduplication on
 * PostgreSQL) against a plain {@code @KafkaListener} doing the same trivial work.
 */
final class ConsumerThroughput {

    private final Infrastructure infrastructure;

    private final int events;

    ConsumerThroughput(Infrastructure infrastructure, int events) {
        this.infrastructure = infrastructure;
        this.events = events;
    }

    /**
     * @return records per second for the event handler and for the plain listener
     */
    double[] recordsPerSecond() throws Exception {
        String topic = this.infrastructure.newTopic("consume", 3);
        try (KafkaProducer<String, byte[]> producer = this.infrastructure.rawProducer()) {
            for (int i = 0; i < this.events; i++) {
                producer.send(Infrastructure.cloudEvent(topic, i));
            }
            producer.flush();
        }
        try (TestDatabase database = this.infrastructure.newDatabase()) {
            double handler;
            try (ConfigurableApplicationContext context = this.infrastructure.start(database, topic,
                    "--benchmark.handler=true", "--eventbus.consumer.concurrency=3",
                    "--eventbus.outbox.relay.enabled=false")) {
                handler = measure(context.getBean(BenchmarkApplication.MeasuredHandler.class).handled);
            }
            double plain;
            try (ConfigurableApplicationContext context = this.infrastructure.start(database, topic,
                    "--benchmark.plain-listener=true", "--benchmark.plain-topic=" + topic,
                    "--eventbus.consumer.enabled=false", "--eventbus.outbox.relay.enabled=false")) {
                plain = measure(context.getBean(BenchmarkApplication.PlainListener.class).handled);
            }
            return new double[] { handler, plain };
        }
    }

    private double measure(AtomicLong handled) {
        while (handled.get() == 0) {
            Infrastructure.sleep(1);
        }
        long start = System.nanoTime();
        long startCount = handled.get();
        while (handled.get() < this.events) {
            Infrastructure.sleep(5);
        }
        return (this.events - startCount) / ((System.nanoTime() - start) / 1e9);
    }

}
