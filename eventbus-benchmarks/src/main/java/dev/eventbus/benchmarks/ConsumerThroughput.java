package dev.eventbus.benchmarks;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

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
        return alternately("handler and plain listener", runs,
                (topic, run) -> consumedPerSecond(topic,
                        (context) -> context.getBean(BenchmarkApplication.MeasuredHandler.class).handled,
                        "--benchmark.handler=true", "--eventbus.consumer.concurrency=3",
                        "--eventbus.consumer.group=benchmark-" + run, "--eventbus.outbox.relay.enabled=false"),
                (topic, run) -> consumedPerSecond(topic,
                        (context) -> context.getBean(BenchmarkApplication.PlainListener.class).handled,
                        "--benchmark.plain-listener=true", "--benchmark.plain-topic=" + topic,
                        "--benchmark.plain-group=plain-" + run, "--eventbus.consumer.enabled=false",
                        "--eventbus.outbox.relay.enabled=false"));
    }

    /**
     * Consumes the same records alternately with a handler and a plain batch listener that both
     * write one business row per record in a transaction, in new databases every time, after
     * warm-up runs of both until the JIT compiler has settled.
     * @param runs how often each consumes them
     * @return mean records per second for the writing handler and for the writing listener
     */
    double[] writingRecordsPerSecond(int runs) throws Exception {
        return alternately("writing handler and writing listener", runs,
                (topic, run) -> consumedPerSecond(topic,
                        (context) -> context.getBean(BenchmarkApplication.WritingHandler.class).handled,
                        "--benchmark.writing-handler=true", "--eventbus.consumer.concurrency=3",
                        "--eventbus.consumer.group=writing-" + run, "--eventbus.outbox.relay.enabled=false"),
                (topic, run) -> consumedPerSecond(topic,
                        (context) -> context.getBean(BenchmarkApplication.WritingListener.class).handled,
                        "--benchmark.writing-listener=true", "--benchmark.plain-topic=" + topic,
                        "--benchmark.plain-group=writing-plain-" + run, "--eventbus.consumer.enabled=false",
                        "--eventbus.outbox.relay.enabled=false"));
    }

    private double[] alternately(String name, int runs, Consumption handler, Consumption plain) throws Exception {
        String topic = filledTopic();
        CompilerWarmUp.repeat(name, (number) -> String.format("handler %,.0f/s, plain %,.0f/s",
                handler.perSecond(topic, "warm-up-" + number), plain.perSecond(topic, "warm-up-" + number)));
        double handled = 0;
        double plainHandled = 0;
        for (int run = 0; run < runs; run++) {
            handled += handler.perSecond(topic, Integer.toString(run)) / runs;
            plainHandled += plain.perSecond(topic, Integer.toString(run)) / runs;
        }
        return new double[] { handled, plainHandled };
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

    /**
     * Starts an application on a new database that consumes the topic, and measures it.
     */
    private double consumedPerSecond(String topic, Function<ConfigurableApplicationContext, AtomicLong> handled,
            String... arguments) {
        try (TestDatabase database = this.infrastructure.newDatabase();
                ConfigurableApplicationContext context = this.infrastructure.start(database, topic, arguments)) {
            return measure(handled.apply(context), this.events);
        }
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

    /**
     * One consumption of the topic, in consumer groups named after the run.
     */
    @FunctionalInterface
    private interface Consumption {

        double perSecond(String topic, String run);

    }

}
