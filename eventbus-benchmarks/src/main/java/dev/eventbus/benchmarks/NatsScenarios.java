package dev.eventbus.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.eventbus.EventPublisher;
import dev.eventbus.nats.NatsStreams;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.wire.Partitions;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PublishOptions;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.impl.Headers;
import org.HdrHistogram.Histogram;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scenario 8, on the machine's NATS server with JetStream (127.0.0.1:4222): the relay against a
 * raw jnats asynchronous JetStream publisher sending the same messages, the idempotent consumer
 * against a plain jnats pull subscriber, and end-to-end latency at a fixed rate. Streams get names
 * of the run and are deleted afterwards.
 */
final class NatsScenarios implements BrokerScenarios {

    static final String URL = "nats://127.0.0.1:4222";

    private static final int PARTITIONS = 16;

    private final Infrastructure infrastructure;

    private final int events;

    private final Connection connection;

    private final NatsStreams streams;

    private final List<String> topics = new ArrayList<>();

    NatsScenarios(Infrastructure infrastructure, int events) throws Exception {
        this.infrastructure = infrastructure;
        this.events = events;
        this.connection = Nats.connect(URL);
        this.streams = new NatsStreams(this.connection.jetStreamManagement(), PARTITIONS, Duration.ofMinutes(2), 1,
                StorageType.File, Duration.ZERO, Duration.ofSeconds(30));
    }

    private String newTopic(String prefix) {
        String topic = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.streams.ensureStream(topic);
        this.topics.add(topic);
        return topic;
    }

    private ConfigurableApplicationContext start(TestDatabase database, String topic, String... extra) {
        List<String> arguments = new ArrayList<>(List.of("--eventbus.transport=nats", "--eventbus.nats.url=" + URL));
        arguments.addAll(List.of(extra));
        return this.infrastructure.start(database, topic, arguments.toArray(String[]::new));
    }

    /**
     * The same messages the relay sends, published asynchronously with message ids, all acks
     * awaited at the end.
     * @return messages per second, from the first publish to the last ack
     */
    @Override
    public double rawPublisherPerSecond() throws Exception {
        String topic = newTopic("raw");
        long start = System.nanoTime();
        publishAll(topic);
        return this.events / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * Publishes the run's messages asynchronously with message ids and awaits all acks at the end.
     */
    private void publishAll(String topic) throws Exception {
        JetStream jetStream = this.connection.jetStream();
        Partitions partitions = new Partitions(PARTITIONS);
        List<CompletableFuture<PublishAck>> acks = new ArrayList<>(this.events);
        for (int i = 0; i < this.events; i++) {
            Measured event = Measured.of(i);
            String id = UUID.randomUUID().toString();
            acks.add(jetStream.publishAsync(NatsStreams.subject(topic, partitions.of(event.key())), headers(event, id),
                    body(event), PublishOptions.builder().messageId(id).build()));
        }
        for (CompletableFuture<PublishAck> ack : acks) {
            ack.get(60, TimeUnit.SECONDS);
        }
    }

    /**
     * Drains a backlog of pending outbox rows to JetStream.
     * @return events per second, from the first to the last ack marked in the outbox
     */
    @Override
    public double relayPerSecond() {
        String topic = newTopic("relay");
        try (TestDatabase database = this.infrastructure.newDatabase()) {
            return RelayThroughput.drainedPerSecond((arguments) -> start(database, topic, arguments), this.events);
        }
    }

    /**
     * The same messages consumed by the idempotent {@code @EventHandler} (three threads) and by a
     * plain jnats pull subscriber on one durable consumer of the whole stream, fetching batches of
     * 100 and acknowledging each message.
     * @param run the run, for fresh consumer names
     * @return messages per second for the handler and for the plain subscriber
     */
    @Override
    public double[] consumerPerSecond(int run) throws Exception {
        String topic = newTopic("consume");
        publishAll(topic);
        double handler;
        try (TestDatabase database = this.infrastructure.newDatabase();
                ConfigurableApplicationContext context = start(database, topic, "--benchmark.handler=true",
                        "--eventbus.consumer.concurrency=3", "--eventbus.consumer.group=handler-" + run,
                        "--eventbus.outbox.relay.enabled=false")) {
            handler = ConsumerThroughput.measure(context.getBean(BenchmarkApplication.MeasuredHandler.class).handled, this.events);
        }
        return new double[] { handler, plainPerSecond(topic, "plain-" + run) };
    }

    private double plainPerSecond(String topic, String durable) throws Exception {
        this.connection.jetStreamManagement().addOrUpdateConsumer(NatsStreams.stream(topic),
                ConsumerConfiguration.builder().durable(durable).ackPolicy(AckPolicy.Explicit).build());
        JetStreamSubscription subscription = this.connection.jetStream().subscribe(null,
                PullSubscribeOptions.builder().stream(NatsStreams.stream(topic)).durable(durable).bind(true).build());
        long handled = 0;
        long start = 0;
        while (handled < this.events) {
            List<Message> messages = subscription.fetch(100, Duration.ofSeconds(1));
            if (start == 0 && !messages.isEmpty()) {
                start = System.nanoTime();
            }
            for (Message message : messages) {
                message.ack();
                handled++;
            }
        }
        subscription.unsubscribe();
        return this.events / ((System.nanoTime() - start) / 1e9);
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
        String topic = newTopic("latency");
        try (TestDatabase database = this.infrastructure.newDatabase();
                ConfigurableApplicationContext publisher = start(database, topic, "--eventbus.consumer.enabled=false");
                ConfigurableApplicationContext consumer = start(database, topic, "--benchmark.handler=true",
                        "--eventbus.outbox.relay.enabled=false")) {
            return EndToEndLatency.measure(publisher, publisher.getBean(EventPublisher.class)::publish,
                    consumer.getBean(BenchmarkApplication.MeasuredHandler.class).latencies, perSecond, duration);
        }
    }

    private static byte[] body(Measured event) {
        return ("{\"key\":\"" + event.key() + "\",\"sequence\":" + event.sequence() + ",\"committedNanos\":"
                + event.committedNanos() + ",\"padding\":\"" + Measured.PADDING + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    }

    private static Headers headers(Measured event, String id) {
        Headers headers = new Headers();
        headers.put("ce-specversion", "1.0");
        headers.put("ce-id", id);
        headers.put("ce-source", "benchmark");
        headers.put("ce-type", "benchmark.measured");
        headers.put("ce-time", "2026-12-01T00:00:00Z");
        headers.put("ce-eventversion", "1");
        headers.put("ce-partitionkey", event.key());
        headers.put("content-type", "application/json");
        return headers;
    }

    @Override
    public void close() throws Exception {
        for (String topic : this.topics) {
            for (String stream : List.of(NatsStreams.stream(topic), NatsStreams.deadLetterStream(topic))) {
                try {
                    this.connection.jetStreamManagement().deleteStream(stream);
                }
                catch (JetStreamApiException ex) {
                    // not created
                }
            }
        }
        this.connection.close();
    }

}
