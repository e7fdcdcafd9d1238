package dev.eventbus.rabbitmq;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ChannelProxy;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Publishes mandatory messages with correlated publisher confirms, on a connection factory of its
 * own that Spring Boot's {@code spring.rabbitmq.*} configured, so that the application's own
 * {@code RabbitTemplate} keeps its settings. A publish returns at once; {@link #await} tells
 * whether the broker stored and routed the message.
 */
public class ConfirmedPublisher implements AutoCloseable {

    private final CachingConnectionFactory connectionFactory;

    private final RabbitTemplate template;

    /**
     * Creates the publisher.
     * @param connectionFactory a connection factory configured by Spring Boot, which this
     * publisher switches to correlated confirms and returns and closes with itself
     */
    public ConfirmedPublisher(CachingConnectionFactory connectionFactory) {
        connectionFactory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        connectionFactory.setPublisherReturns(true);
        this.connectionFactory = connectionFactory;
        this.template = new RabbitTemplate(connectionFactory);
        this.template.setMandatory(true);
    }

    /**
     * Publishes a message without waiting.
     * @param exchange the exchange, empty for the default exchange
     * @param routingKey the routing key
     * @param message the message
     * @return the correlation to {@link #await}
     * @throws AmqpException if the message could not be handed to the broker
     */
    public CorrelationData publish(String exchange, String routingKey, Message message) {
        CorrelationData correlation = new CorrelationData(UUID.randomUUID().toString());
        this.template.send(exchange, routingKey, message, correlation);
        return correlation;
    }

    /**
     * Publishes messages in their order on one channel, without waiting: the broker keeps the
     * order of messages published on one channel only.
     * @param messages the messages
     * @return the correlations to {@link #await}, in the same order, and the channel's fate
     * @throws AmqpException if not even the first message could be handed to the broker
     */
    public PublishedInOrder publishInOrder(List<Outgoing> messages) {
        List<CorrelationData> correlations = new ArrayList<>(messages.size());
        AtomicReference<@Nullable Channel> channel = new AtomicReference<>();
        AmqpException handOverFailure = null;
        try {
            this.template.invoke((operations) -> {
                channel.set(operations.execute(ConfirmedPublisher::target));
                for (Outgoing outgoing : messages) {
                    CorrelationData correlation = new CorrelationData(UUID.randomUUID().toString());
                    operations.send(outgoing.exchange(), outgoing.routingKey(), outgoing.message(), correlation);
                    correlations.add(correlation);
                }
                return null;
            });
        }
        catch (AmqpException ex) {
            if (correlations.isEmpty()) {
                throw ex;
            }
            handOverFailure = ex;
        }
        return new PublishedInOrder(correlations, handOverFailure, channel.get());
    }

    private static Channel target(Channel channel) {
        return (channel instanceof ChannelProxy proxy) ? proxy.getTargetChannel() : channel;
    }

    /**
     * Waits for the broker's answer to a published message.
     * @param correlation the correlation of the message
     * @param timeout how long to wait
     * @return the answer, never {@code null}
     */
    public static Answer await(CorrelationData correlation, Duration timeout) {
        try {
            CorrelationData.Confirm confirm = correlation.getFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            ReturnedMessage returned = correlation.getReturned();
            if (returned != null) {
                return new Answer(null, new UnroutableMessageException(returned.getExchange(),
                        returned.getRoutingKey(), returned.getReplyCode() + " " + returned.getReplyText()), false);
            }
            if (confirm.ack()) {
                return Answer.ACKNOWLEDGED;
            }
            return (confirm.reason() != null)
                    ? new Answer(new AmqpException("The channel closed before the broker confirmed the message: "
                            + confirm.reason()), null, true)
                    : new Answer(new AmqpException("The broker refused the message"), null, false);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return new Answer(ex, null, false);
        }
        catch (ExecutionException ex) {
            return new Answer((ex.getCause() != null) ? ex.getCause() : ex, null, false);
        }
        catch (TimeoutException ex) {
            return new Answer(new AmqpException("No publisher confirm within " + timeout), null, false);
        }
    }

    @Override
    public void close() {
        this.connectionFactory.destroy();
    }

    /**
     * Messages published in order on one channel.
     */
    public static final class PublishedInOrder {

        private final List<CorrelationData> correlations;

        private final @Nullable AmqpException handOverFailure;

        private final @Nullable Channel channel;

        PublishedInOrder(List<CorrelationData> correlations, @Nullable AmqpException handOverFailure,
                @Nullable Channel channel) {
            this.correlations = correlations;
            this.handOverFailure = handOverFailure;
            this.channel = channel;
        }

        /**
         * The correlations to {@link #await}, in the order of the messages; fewer than the
         * messages if handing one to the broker failed.
         * @return the correlations
         */
        public List<CorrelationData> correlations() {
            return this.correlations;
        }

        /**
         * Why handing a message to the broker failed, when not all of them were.
         * @return the failure, or {@code null} if every message was handed over
         */
        public @Nullable AmqpException handOverFailure() {
            return this.handOverFailure;
        }

        /**
         * Why the broker or the connection closed the channel the messages went on, if it did.
         * It concerns these messages only if the channel closed while they were handed over or
         * awaited their confirms ({@link Answer#channelClosed()}); once they all had their
         * confirms, the channel went back to the cache and may have closed for another publisher.
         * @return the channel's close reason, or {@code null} while it is open
         */
        public @Nullable ShutdownSignalException closeReason() {
            return (this.channel != null) ? this.channel.getCloseReason() : null;
        }

    }

    /**
     * A message to publish.
     *
     * @param exchange the exchange, empty for the default exchange
     * @param routingKey the routing key
     * @param message the message
     */
    public record Outgoing(String exchange, String routingKey, Message message) {
    }

    /**
     * The broker's answer to one message.
     *
     * @param failure why the message may not be stored, a failure that publishing again may cure
     * (a negative confirm, no confirm in time, a lost connection), or {@code null}
     * @param refusal why the message was refused for good (unroutable), or {@code null}
     * @param channelClosed whether the channel closed while the message awaited its confirm, so
     * that its close reason concerns this message
     */
    public record Answer(@Nullable Throwable failure, @Nullable UnroutableMessageException refusal,
            boolean channelClosed) {

        static final Answer ACKNOWLEDGED = new Answer(null, null, false);

        /**
         * Whether the broker stored and routed the message.
         * @return {@code true} if it did
         */
        public boolean acknowledged() {
            return this.failure == null && this.refusal == null;
        }

    }

}
