package dev.eventbus.benchmarks;

import java.util.concurrent.atomic.AtomicLong;

import dev.eventbus.testsupport.TestDatabase;
import org.apache.kafka.clients.producer.KafkaProducer;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scenario 4: records consumed by an idempotent {@code @EventHandler} (deduplication on
 * PostgreSQL) against a plain {@code @KafkaListener} doing the same trivial work, and against one
 * writing the same business rows in a transaction.
 */
final class ConsumerThroughput {

    private final Infrastructure infrastructure;

    private final int events;

    ConsumerThroughput(Infrastructure infrastructure, int events) {
        this.infrastructure = infrastructure;
        this.events = events;
    }

    /**
     * Consumes the same records alternately with each, in new consumer groups every time, after
     * warm-up runs of both until the JIT compiler has settled.
     * @param runs how often each consumes them
     * @return mean records per second for the event handler and for the plain listener
     */
    double[] recordsPerSecond(int runs) throws Exception {
        String topic = filledTopic();
        CompilerWarmUp.repeat("handler and plain listener", (number) -> String.format("handler %,.0f/s, plain %,.0f/s",
                handlerPerSecond(topic, "warm-up-" + number), plainPerSecond(topic, "warm-up-" + number)));
        double handler = 0;
        double plain = 0;
        for (int run = 0; run < runs; run++) {
            handler += handlerPerSecond(topic, Integer.toString(run)) / runs;
            plain += plainPerSecond(topic, Integer.toString(run)) / runs;
        }
        return new double[] { handler, plain };
    }

    /**
     * Consumes the same records alternately with a handler and a plain batch listener that both
     * write one business row per record in a transaction, in new databases every time, after
     * warm-up runs of both until the JIT compiler has settled.
     * @param runs how often each consumes them
     * @return mean records per second for the writing handler and for the writing listener
     */
    double[] writingRecordsPerSecond(int runs) throws Exception {
        String topic = filledTopic();
        CompilerWarmUp.repeat("writing handler and writing listener", (number) -> String.format(
                "handler %,.0f/s, plain %,.0f/s", writingHandlerPerSecond(topic, "warm-up-" + number),
                writingListenerPerSecond(topic, "warm-up-" + number)));
        double handler = 0;
        double plain = 0;
        for (int run = 0; run < runs; run++) {
            handler += writingHandlerPerSecond(topic, Integer.toString(run)) / runs;
            plain += writingListenerPerSecond(topic, Integer.toString(run)) / runs;
        }
        return new double[] { handler, plain };
    }

    private double writingHandlerPerSecond(String topic, String run) {
        try (TestDatabase database = this.infrastructure.newDatabase();
                ConfigurableApplicationContext context = this.infrastructure.start(database, topic,
                        "--benchmark.writing-handler=true", "--eventbus.consumer.concurrency=3",
                        "--eventbus.consumer.group=writing-" + run, "--eventbus.outbox.relay.enabled=false")) {
            return measure(context.getBean(BenchmarkApplication.WritingHandler.class).handled);
        }
    }

    private double writingListenerPerSecond(String topic, String run) {
        try (TestDatabase database = this.infrastructure.newDatabase();
                ConfigurableApplicationContext context = this.infrastructure.start(database, topic,
                        "--benchmark.writing-listener=true", "--benchmark.plain-topic=" + topic,
                        "--benchmark.plain-group=writing-plain-" + run, "--eventbus.consumer.enabled=false",
                        "--eventbus.outbox.relay.enabled=false")) {
            return measure(context.getBean(BenchmarkApplication.WritingListener.class).handled);
        }
    }

    private String filledTopic() {
        String topic = this.infrastructure.newTopic("consume", 3);
        try (KafkaProducer<String, byte[]> producer = this.infrastructure.rawProducer()) {
            for (int i = 0; i < this.events; i++) {
                producer.send(Infrastructure.cloudEvent(topic, i));
            }
            producer.flush();
        }
        return topic;
    }

    private double handlerPerSecond(String topic, String run) {
        try (TestDatabase database = this.infrastructure.newDatabase();
                ConfigurableApplicationContext context = this.infrastructure.start(database, topic,
                        "--benchmark.handler=true", "--eventbus.consumer.concurrency=3",
                        "--eventbus.consumer.group=benchmark-" + run, "--eventbus.outbox.relay.enabled=false")) {
            return measure(context.getBean(BenchmarkApplication.MeasuredHandler.class).handled);
        }
    }

    private double plainPerSecond(String topic, String run) {
        try (TestDatabase database = this.infrastructure.newDatabase();
                ConfigurableApplicationContext context = this.infrastructure.start(database, topic,
                        "--benchmark.plain-listener=true", "--benchmark.plain-topic=" + topic,
                        "--benchmark.plain-group=plain-" + run, "--eventbus.consumer.enabled=false",
                        "--eventbus.outbox.relay.enabled=false")) {
            return measure(context.getBean(BenchmarkApplication.PlainListener.class).handled);
        }
    }

    private double measure(AtomicLong handled) {
        return measure(handled, this.events);
    }

    /**
     * Messages per second from the first handled one until all are, as a handler or listener
     * counts them; shared by the consumer scenarios of every broker.
     */
    static double measure(AtomicLong handled, int events) {
        Infrastructure.await("the first handled message", () -> handled.get() > 0, 1);
        long start = System.nanoTime();
        long startCount = handled.get();
        Infrastructure.await("all messages handled", () -> handled.get() >= events, 5);
        return (events - startCount) / ((System.nanoTime() - start) / 1e9);
    }

}
