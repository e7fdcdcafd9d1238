package dev.eventbus.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.eventbus.EventPublisher;
import dev.eventbus.rabbitmq.RabbitTopology;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.wire.Partitions;
import org.HdrHistogram.Histogram;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scenario 7, on the machine's RabbitMQ (127.0.0.1:5672): the relay against a raw Spring AMQP
 * publisher with correlated confirms sending the same messages, the idempotent consumer against a
 * plain {@code @RabbitListener} on the same partition queues, and end-to-end latency at a fixed
 * rate. Exchanges and queues get names of the run and are deleted afterwards.
 */
final class RabbitScenarios implements BrokerScenarios {

    static final String HOST = "127.0.0.1";

    static final int PORT = 5672;

    private static final int PARTITIONS = 16;

    private final Infrastructure infrastructure;

    private final int events;

    private final CachingConnectionFactory connectionFactory = new CachingConnectionFactory(HOST, PORT);

    private final RabbitAdmin admin = new RabbitAdmin(this.connectionFactory);

    private final RabbitTopology topology = new RabbitTopology(this.admin, PARTITIONS, "-dlt");

    private final List<String[]> declared = new ArrayList<>();

    RabbitScenarios(Infrastructure infrastructure, int events) {
        this.infrastructure = infrastructure;
        this.events = events;
    }

    private String newTopic(String prefix, String... groups) {
        String topic = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        for (String group : groups) {
            this.topology.declareGroup(topic, group);
            this.declared.add(new String[] { topic, group });
        }
        return topic;
    }

    private ConfigurableApplicationContext start(TestDatabase database, String topic, String... extra) {
        List<String> arguments = new ArrayList<>(List.of("--eventbus.transport=rabbitmq",
                "--spring.rabbitmq.host=" + HOST, "--spring.rabbitmq.port=" + PORT));
        arguments.addAll(List.of(extra));
        return this.infrastructure.start(database, topic, arguments.toArray(String[]::new));
    }

    /**
     * The same messages the relay sends, published on one channel with correlated confirms, all
     * confirms awaited at the end.
     * @return messages per second, from the first send to the last confirm
     */
    @Override
    public double rawPublisherPerSecond() throws Exception {
        String topic = newTopic("raw", "sink");
        CachingConnectionFactory confirming = new CachingConnectionFactory(HOST, PORT);
        confirming.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        confirming.setPublisherReturns(true);
        try {
            RabbitTemplate template = new RabbitTemplate(confirming);
            template.setMandatory(true);
            Partitions partitions = new Partitions(PARTITIONS);
            List<CorrelationData> confirms = new ArrayList<>(this.events);
            long start = System.nanoTime();
            template.invoke((operations) -> {
                for (int i = 0; i < this.events; i++) {
                    Measured event = Measured.of(i);
                    CorrelationData correlation = new CorrelationData(Integer.toString(i));
                    operations.send(topic, Integer.toString(partitions.of(event.key())), message(event), correlation);
                    confirms.add(correlation);
                }
                return null;
            });
            for (CorrelationData correlation : confirms) {
                if (!correlation.getFuture().get(60, TimeUnit.SECONDS).ack() || correlation.getReturned() != null) {
                    throw new IllegalStateException("A raw message was not confirmed and routed");
                }
            }
            return this.events / ((System.nanoTime() - start) / 1e9);
        }
        finally {
            confirming.destroy();
        }
    }

    /**
     * Drains a backlog of pending outbox rows to RabbitMQ.
     * @return events per second, from the first to the last confirm marked in the outbox
     */
    @Override
    public double relayPerSecond() {
        String topic = newTopic("relay", "sink");
        try (TestDatabase database = this.infrastructure.newDatabase()) {
            return RelayThroughput.drainedPerSecond((arguments) -> start(database, topic, arguments), this.events);
        }
    }

    /**
     * The same messages, in the partition queues of one group each, consumed by the idempotent
     * {@code @EventHandler} and by a plain {@code @RabbitListener}, both with three consumers.
     * @param run the run, for fresh group names
     * @return messages per second for the handler and for the plain listener
     */
    @Override
    public double[] consumerPerSecond(int run) {
        String handlerGroup = "handler-" + run;
        String plainGroup = "plain-" + run;
        String topic = newTopic("consume", handlerGroup, plainGroup);
        Partitions partitions = new Partitions(PARTITIONS);
        RabbitTemplate template = new RabbitTemplate(this.connectionFactory);
        template.invoke((operations) -> {
            for (int i = 0; i < this.events; i++) {
                Measured event = Measured.of(i);
                operations.send(topic, Integer.toString(partitions.of(event.key())), message(event));
            }
            return null;
        });
        Infrastructure.await("messages in the queues", () -> ready(topic, handlerGroup) == this.events
                && ready(topic, plainGroup) == this.events, 200);
        double handler;
        try (TestDatabase database = this.infrastructure.newDatabase();
                ConfigurableApplicationContext context = start(database, topic, "--benchmark.handler=true",
                        "--eventbus.consumer.concurrency=3", "--eventbus.consumer.group=" + handlerGroup,
                        "--eventbus.outbox.relay.enabled=false")) {
            handler = ConsumerThroughput.measure(context.getBean(BenchmarkApplication.MeasuredHandler.class).handled, this.events);
        }
        String queues = String.join(",", IntStream.range(0, PARTITIONS)
            .mapToObj((partition) -> RabbitTopology.queue(topic, plainGroup, partition))
            .toList());
        double plain;
        try (TestDatabase database = this.infrastructure.newDatabase();
                ConfigurableApplicationContext context = start(database, topic, "--benchmark.plain-queues=" + queues,
                        "--eventbus.consumer.enabled=false", "--eventbus.outbox.relay.enabled=false")) {
            plain = ConsumerThroughput.measure(context.getBean(BenchmarkApplication.PlainRabbitListener.class).handled,
                    this.events);
        }
        return new double[] { handler, plain };
    }

    private long ready(String topic, String group) {
        Long ready = new RabbitTemplate(this.connectionFactory).execute((channel) -> {
            long count = 0;
            for (int partition = 0; partition < PARTITIONS; partition++) {
                count += channel.queueDeclarePassive(RabbitTopology.queue(topic, group, partition)).getMessageCount();
            }
            return count;
        });
        return (ready != null) ? ready : 0;
    }

    /**
     * One event per transaction at a fixed rate, from just before the commit to the handler in
     * another application context, after a warm-up.
     * @param perSecond the rate
     * @param duration how long to measure
     * @return the latencies in nanoseconds
     */
    @Override
    public Histogram latency(int perSecond, Duration duration) {
        String topic = newTopic("latency", "benchmark");
        try (TestDatabase database = this.infrastructure.newDatabase();
                ConfigurableApplicationContext publisher = start(database, topic, "--eventbus.consumer.enabled=false");
                ConfigurableApplicationContext consumer = start(database, topic, "--benchmark.handler=true",
                        "--eventbus.outbox.relay.enabled=false")) {
            return EndToEndLatency.measure(publisher, publisher.getBean(EventPublisher.class)::publish,
                    consumer.getBean(BenchmarkApplication.MeasuredHandler.class).latencies, perSecond, duration);
        }
    }

    private static Message message(Measured event) {
        String json = "{\"key\":\"" + event.key() + "\",\"sequence\":" + event.sequence() + ",\"committedNanos\":"
                + event.committedNanos() + ",\"padding\":\"" + Measured.PADDING + "\"}";
        MessageProperties properties = new MessageProperties();
        properties.setContentType("application/json");
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        String id = UUID.randomUUID().toString();
        properties.setMessageId(id);
        properties.setHeader("cloudEvents_specversion", "1.0");
        properties.setHeader("cloudEvents_id", id);
        properties.setHeader("cloudEvents_source", "benchmark");
        properties.setHeader("cloudEvents_type", "benchmark.measured");
        properties.setHeader("cloudEvents_time", "2026-12-01T00:00:00Z");
        properties.setHeader("cloudEvents_eventversion", "1");
        properties.setHeader("cloudEvents_partitionkey", event.key());
        return new Message(json.getBytes(StandardCharsets.UTF_8), properties);
    }

    @Override
    public void close() {
        for (String[] topicAndGroup : this.declared) {
            for (int partition = 0; partition < PARTITIONS; partition++) {
                this.admin.deleteQueue(RabbitTopology.queue(topicAndGroup[0], topicAndGroup[1], partition));
            }
            this.admin.deleteQueue(topicAndGroup[0] + "-dlt");
            this.admin.deleteExchange(topicAndGroup[0]);
        }
        this.connectionFactory.destroy();
    }

}
