package dev.eventbus.rabbitmq;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.eventbus.outbox.PendingOutboxEvent;
import dev.eventbus.transport.OutboxTransport;
import dev.eventbus.transport.SendOutcome;
import dev.eventbus.transport.TopicDeclarations;
import dev.eventbus.wire.Partitions;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.CorrelationData;

/**
 * The relay side of the RabbitMQ transport: publishes a round's events to their topic's exchange,
 * routing key = partition of the key, in outbox order on one channel, then awaits their confirms
 * together. A message
 * the broker confirms and routes is acknowledged; one returned as unroutable is refused for good
 * and parked, and so are the events of a topic whose exchange the broker refuses to declare
 * ({@link RabbitRefusals}); a negative confirm, a missing confirm or a lost connection keeps the rest
 * pending. After a failure, the next round declares the exchanges again, in case one was deleted.
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
     * @param confirmTimeout how long a round waits for all its confirms together
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
        List<ConfirmedPublisher.Outgoing> outgoing = new ArrayList<>(events.size());
        List<Long> outgoingIds = new ArrayList<>(events.size());
        Map<Long, Throwable> refused = new LinkedHashMap<>();
        TopicDeclarations exchanges = new TopicDeclarations(this.topology::declareExchange, RabbitRefusals::isForGood);
        List<CorrelationData> published;
        try {
            for (PendingOutboxEvent pending : events) {
                String topic = pending.event().topic();
                Throwable refusal = exchanges.declare(topic);
                if (refusal != null) {
                    refused.put(pending.id(), refusal);
                    continue;
                }
                outgoing.add(new ConfirmedPublisher.Outgoing(topic,
                        Integer.toString(this.partitions.of(pending.event().key())),
                        this.mapper.toMessage(pending.event())));
                outgoingIds.add(pending.id());
            }
            published = outgoing.isEmpty() ? List.of() : this.publisher.publishInOrder(outgoing);
        }
        catch (RuntimeException ex) {
            forgetExchanges(events);
            return new SendOutcome(List.of(), refused, ex);
        }
        List<Long> acknowledged = new ArrayList<>(published.size());
        Throwable failure = (published.size() < outgoing.size())
                ? new AmqpException("The connection failed after " + published.size() + " of " + outgoing.size()
                        + " messages") : null;
        long deadline = System.nanoTime() + this.confirmTimeout.toNanos();
        for (int i = 0; i < published.size(); i++) {
            long id = outgoingIds.get(i);
            ConfirmedPublisher.Answer answer = ConfirmedPublisher.await(published.get(i),
                    Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (answer.acknowledged()) {
                acknowledged.add(id);
            }
            else if (answer.refusal() != null) {
                refused.put(id, answer.refusal());
            }
            else if (failure == null) {
                failure = answer.failure();
            }
        }
        if (failure != null) {
            forgetExchanges(events);
        }
        return new SendOutcome(acknowledged, refused, failure);
    }

    private void forgetExchanges(List<PendingOutboxEvent> events) {
        events.forEach((pending) -> this.topology.forget(pending.event().topic()));
    }

}
