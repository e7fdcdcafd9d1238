package dev.eventbus.rabbitmq;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.rabbitmq.client.ShutdownSignalException;
import dev.eventbus.outbox.PendingOutboxEvent;
import dev.eventbus.transport.OutboxTransport;
import dev.eventbus.transport.SendOutcome;
import dev.eventbus.transport.TopicDeclarations;
import dev.eventbus.wire.Partitions;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CorrelationData;

/**
 * The relay side of the RabbitMQ transport: publishes a round's events to their topic's exchange,
 * routing key = partition of the key, in outbox order on one channel, then awaits their confirms
 * together. A message the broker confirms and routes is acknowledged; one returned as unroutable
 * is refused for good and parked, and so are the events of a topic whose exchange the broker
 * refuses to declare or to take messages for, and a message larger than the broker takes
 * ({@link RabbitRefusals}). The broker closes the channel on a message the user may not publish
 * ({@code ACCESS_REFUSED}) or one too large ({@code PRECONDITION_FAILED}), so the round's other
 * unanswered events are then published again on a new channel; any other close ends the round. A
 * negative confirm, a missing confirm or a lost connection keeps the rest pending. After a
 * failure, the next round declares the exchanges again, in case one was deleted.
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
        Answers answers = new Answers(
                new TopicDeclarations(this.topology::declareExchange, RabbitRefusals::isForGood));
        List<PendingOutboxEvent> unanswered = events;
        while (true) {
            Attempt attempt = publish(unanswered, answers);
            if (attempt.failure() == null) {
                return answers.outcome(null);
            }
            ShutdownSignalException closeReason = attempt.closeReason();
            if (closeReason == null || !answers.refuseFor(unanswered, closeReason)) {
                forgetExchanges(events);
                return answers.outcome(attempt.failure());
            }
            unanswered = answers.unanswered(unanswered);
            if (unanswered.isEmpty()) {
                return answers.outcome(null);
            }
        }
    }

    /**
     * Publishes events in their order on one channel and awaits their confirms.
     */
    private Attempt publish(List<PendingOutboxEvent> events, Answers answers) {
        List<ConfirmedPublisher.Outgoing> outgoing = new ArrayList<>(events.size());
        List<Long> outgoingIds = new ArrayList<>(events.size());
        ConfirmedPublisher.PublishedInOrder published;
        try {
            for (PendingOutboxEvent pending : events) {
                String topic = pending.event().topic();
                Throwable refusal = answers.exchanges.declare(topic);
                if (refusal != null) {
                    answers.refused.put(pending.id(), refusal);
                    continue;
                }
                Message message = this.mapper.toMessage(pending.event());
                outgoing.add(new ConfirmedPublisher.Outgoing(topic,
                        Integer.toString(this.partitions.of(pending.event().key())), message));
                outgoingIds.add(pending.id());
                answers.bodySizes.put(pending.id(), message.getBody().length);
            }
            if (outgoing.isEmpty()) {
                return Attempt.ANSWERED;
            }
            published = this.publisher.publishInOrder(outgoing);
        }
        catch (RuntimeException ex) {
            return new Attempt(ex, null);
        }
        List<CorrelationData> correlations = published.correlations();
        boolean channelClosed = correlations.size() < outgoing.size();
        Throwable failure = channelClosed
                ? new AmqpException("The channel failed after " + correlations.size() + " of " + outgoing.size()
                        + " messages", published.handOverFailure()) : null;
        long deadline = System.nanoTime() + this.confirmTimeout.toNanos();
        for (int i = 0; i < correlations.size(); i++) {
            long id = outgoingIds.get(i);
            ConfirmedPublisher.Answer answer = ConfirmedPublisher.await(correlations.get(i),
                    Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (answer.acknowledged()) {
                answers.acknowledged.add(id);
            }
            else if (answer.refusal() != null) {
                answers.refused.put(id, answer.refusal());
            }
            else {
                channelClosed |= answer.channelClosed();
                if (failure == null) {
                    failure = answer.failure();
                }
            }
        }
        if (failure == null) {
            return Attempt.ANSWERED;
        }
        return new Attempt(failure, channelClosed ? published.closeReason() : null);
    }

    private static Set<String> topics(List<PendingOutboxEvent> events) {
        Set<String> topics = new HashSet<>();
        events.forEach((pending) -> topics.add(pending.event().topic()));
        return topics;
    }

    private void forgetExchanges(List<PendingOutboxEvent> events) {
        events.forEach((pending) -> this.topology.forget(pending.event().topic()));
    }

    /**
     * What one publishing attempt of a round failed on.
     *
     * @param failure the first failure that publishing again may cure, or {@code null} once every
     * event was acknowledged or refused
     * @param closeReason why the channel the attempt published on was closed, if it closed while
     * the attempt's messages were handed over or awaited their confirms
     */
    private record Attempt(@Nullable Throwable failure, @Nullable ShutdownSignalException closeReason) {

        static final Attempt ANSWERED = new Attempt(null, null);

    }

    /**
     * The broker's answers to the events of one round, over its attempts.
     */
    private static final class Answers {

        private final TopicDeclarations exchanges;

        private final List<Long> acknowledged = new ArrayList<>();

        private final Map<Long, Throwable> refused = new LinkedHashMap<>();

        private final Map<Long, Integer> bodySizes = new HashMap<>();

        Answers(TopicDeclarations exchanges) {
            this.exchanges = exchanges;
        }

        /**
         * Refuses the unanswered events the broker's close of the channel refused for good: those
         * of the exchange the user may not publish to, or those whose body is larger than the
         * broker takes.
         * @return whether it refused any
         */
        boolean refuseFor(List<PendingOutboxEvent> events, ShutdownSignalException closeReason) {
            List<PendingOutboxEvent> unanswered = unanswered(events);
            String exchange = RabbitRefusals.publishRefusedExchange(closeReason, topics(unanswered));
            Long maxSize = RabbitRefusals.maxMessageSize(closeReason);
            boolean refusedAny = false;
            for (PendingOutboxEvent pending : unanswered) {
                int size = this.bodySizes.getOrDefault(pending.id(), 0);
                if (pending.event().topic().equals(exchange)) {
                    this.refused.put(pending.id(), closeReason);
                    refusedAny = true;
                }
                else if (maxSize != null && size > maxSize) {
                    this.refused.put(pending.id(), new AmqpException("The message of event "
                            + pending.event().eventId() + " has a body of " + size
                            + " bytes, more than the broker's max_message_size of " + maxSize));
                    refusedAny = true;
                }
            }
            return refusedAny;
        }

        List<PendingOutboxEvent> unanswered(List<PendingOutboxEvent> events) {
            Set<Long> acknowledgedIds = new HashSet<>(this.acknowledged);
            return events.stream()
                .filter((pending) -> !acknowledgedIds.contains(pending.id()) && !this.refused.containsKey(pending.id()))
                .toList();
        }

        SendOutcome outcome(@Nullable Throwable failure) {
            return new SendOutcome(this.acknowledged, this.refused, failure);
        }

    }

}
