package dev.eventbus.transport;

import java.util.List;
import java.util.OptionalLong;

/**
 * Delivers the messages of a topic to the core, for one consumer group: the consumer side of a
 * transport.
 * <p>
 * A subscription delivers each partition's messages in order, a batch at a time, to the handler;
 * it acknowledges the messages the handler reports completed, and delivers the others again
 * after a pause. Messages are never acknowledged before the handler returned, so a crash
 * redelivers them and the core's processed-event table skips what was done.
 *
 * @since 0.2.0
 */
@FunctionalInterface
public interface ConsumerTransport {

    /**
     * Prepares the broker for all subscriptions of this application before the first starts, for
     * example by creating dead-letter topics together. Does nothing by default.
     * @param endpoints every endpoint that will be subscribed
     */
    default void prepare(List<ConsumerEndpoint> endpoints) {
    }

    /**
     * How many messages of an endpoint's topic the group has not acknowledged yet, over all
     * partitions. May ask the broker, so it is called at most every few seconds.
     * @param endpoint the group and topic
     * @return the lag, or empty if the transport cannot tell (by default, or while the broker is
     * away)
     */
    default OptionalLong lag(ConsumerEndpoint endpoint) {
        return OptionalLong.empty();
    }

    /**
     * Starts delivering the messages of an endpoint.
     * @param endpoint the group and topic
     * @param handler the core's handling of a batch
     * @return the running subscription, never {@code null}
     */
    Subscription subscribe(ConsumerEndpoint endpoint, InboundBatchHandler handler);

    /**
     * A running subscription.
     */
    @FunctionalInterface
    interface Subscription {

        /**
         * Stops delivering, letting the batch in progress finish; blocks until it has.
         */
        void stop();

        /**
         * Whether the subscription still delivers: {@code false} once a consuming thread or
         * container ended on its own, which makes the application's health DOWN. Always
         * {@code true} by default.
         * @return whether it delivers
         * @since 0.2.0
         */
        default boolean isActive() {
            return true;
        }

    }

}
