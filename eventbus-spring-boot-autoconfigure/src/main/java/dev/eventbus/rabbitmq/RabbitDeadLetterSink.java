package dev.eventbus.rabbitmq;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.eventbus.transport.DeadLetterSink;
import dev.eventbus.transport.InboundMessage;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.connection.CorrelationData;

/**
 * Publishes dead letters to the durable queue {@code T-dlt} through the default exchange, body and
 * headers unchanged plus the cause, group, partition and attempts; pipelined with confirms, which
 * {@link #flush()} awaits.
 */
public class RabbitDeadLetterSink implements DeadLetterSink {

    private static final int MAX_CAUSE_MESSAGE = 2000;

    private final ConfirmedPublisher publisher;

    private final RabbitTopology topology;

    private final Duration confirmTimeout;

    private final ThreadLocal<List<CorrelationData>> pending = ThreadLocal.withInitial(ArrayList::new);

    /**
     * Creates the sink.
     * @param publisher publishes with confirms
     * @param topology names the dead-letter queues
     * @param confirmTimeout how long {@link #flush()} waits for all confirms together
     */
    public RabbitDeadLetterSink(ConfirmedPublisher publisher, RabbitTopology topology, Duration confirmTimeout) {
        this.publisher = publisher;
        this.topology = topology;
        this.confirmTimeout = confirmTimeout;
    }

    @Override
    public void deadLetter(String group, InboundMessage message, Exception cause, int attempts) {
        Message original = (message instanceof RabbitInboundMessage rabbit) ? rabbit.message() : null;
        MessageBuilder builder = (original != null) ? MessageBuilder.fromClonedMessage(original)
                : MessageBuilder.withBody((message.body() != null) ? message.body() : new byte[0]);
        if (original == null) {
            message.headers().forEach(builder::setHeader);
        }
        String causeMessage = (cause.getMessage() != null) ? cause.getMessage() : "";
        Message deadLetter = builder.setDeliveryMode(MessageDeliveryMode.PERSISTENT)
            .setHeader(RabbitHeaders.DEAD_LETTER_EXCEPTION, cause.getClass().getName())
            .setHeader(RabbitHeaders.DEAD_LETTER_MESSAGE,
                    (causeMessage.length() > MAX_CAUSE_MESSAGE) ? causeMessage.substring(0, MAX_CAUSE_MESSAGE)
                            : causeMessage)
            .setHeader(RabbitHeaders.DEAD_LETTER_GROUP, group)
            .setHeader(RabbitHeaders.DEAD_LETTER_PARTITION, Integer.toString(message.partition()))
            .setHeader(RabbitHeaders.ATTEMPTS, Integer.toString(attempts))
            .build();
        this.pending.get().add(this.publisher.publish("", this.topology.deadLetterQueue(message.topic()), deadLetter));
    }

    @Override
    public void flush() {
        List<CorrelationData> correlations = this.pending.get();
        try {
            long deadline = System.nanoTime() + this.confirmTimeout.toNanos();
            for (CorrelationData correlation : correlations) {
                ConfirmedPublisher.Answer answer = ConfirmedPublisher.await(correlation,
                        Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                if (!answer.acknowledged()) {
                    Throwable cause = (answer.refusal() != null) ? answer.refusal() : answer.failure();
                    throw new AmqpException("A dead letter was not stored", cause);
                }
            }
        }
        finally {
            correlations.clear();
        }
    }

}
