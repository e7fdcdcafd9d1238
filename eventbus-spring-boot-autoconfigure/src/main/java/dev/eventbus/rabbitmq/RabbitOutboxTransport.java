package dev.eventbus.rabbitmq;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.eventbus.outbox.PendingOutboxEvent;
import dev.eventbus.transport.OutboxTransport;
import dev.eventbus.transport.SendOutcome;
import dev.eventbus.wire.Partitions;

import org.springframework.amqp.rabbit.connection.CorrelationData;

/**
 * The relay side of the RabbitMQ transport: publishes a round's events to their topic's exchange,
 * routing key = partition of the key, all at once, then awaits their confirms together. A message
 * the broker confirms and routes is acknowledged; one returned as unroutable is refused for good
 * and parked; a negative confirm, a missing confirm or a lost connection keeps the rest pending.
 */
public class RabbitOutboxTransport implements OutboxTransport {

    private final ConfirmedPublisher publisher;

    private final RabbitTopology topology;

    private final Partitions partitions;

    private final CloudEventMessageMapper mapper;

    private final Duration confirmTimeout;

    /**
     * Creates the transport.
     * @param publisher publishes with confirms
     * @param topology declares the exchanges
     * @param partitions the partitions of every topic
     * @param mapper maps events to messages
     * @param confirmTimeout how long a round waits for its confirms
     */
    public RabbitOutboxTransport(ConfirmedPublisher publisher, RabbitTopology topology, Partitions partitions,
            CloudEventMessageMapper mapper, Duration confirmTimeout) {
        this.publisher = publisher;
        this.topology = topology;
        this.partitions = partitions;
        this.mapper = mapper;
        this.confirmTimeout = confirmTimeout;
    }

    @Override
    public SendOutcome send(List<PendingOutboxEvent> events) {
        Map<Long, CorrelationData> published = new LinkedHashMap<>();
        Throwable failure = null;
        for (PendingOutboxEvent pending : events) {
            try {
                String topic = pending.event().topic();
                this.topology.declareExchange(topic);
                published.put(pending.id(), this.publisher.publish(topic,
                        Integer.toString(this.partitions.of(pending.event().key())),
                        this.mapper.toMessage(pending.event())));
            }
            catch (RuntimeException ex) {
                failure = ex;
                break;
            }
        }
        List<Long> acknowledged = new ArrayList<>(published.size());
        Map<Long, Throwable> refused = new LinkedHashMap<>();
        for (Map.Entry<Long, CorrelationData> entry : published.entrySet()) {
            ConfirmedPublisher.Answer answer = ConfirmedPublisher.await(entry.getValue(), this.confirmTimeout);
            if (answer.acknowledged()) {
                acknowledged.add(entry.getKey());
            }
            else if (answer.refusal() != null) {
                refused.put(entry.getKey(), answer.refusal());
            }
            else if (failure == null) {
                failure = answer.failure();
            }
        }
        return new SendOutcome(acknowledged, refused, failure);
    }

}
