package dev.eventbus.transport;

import java.util.List;

/**
 * The core's handling of received messages, which a {@link ConsumerTransport} calls with each
 * batch it receives for one subscription, on the thread that received it.
 *
 * @since 0.2.0
 */
@FunctionalInterface
public interface InboundBatchHandler {

    /**
     * Handles a batch: deduplicates, invokes the handlers in their transactions, retries and
     * dead-letters. Returns once every message it reports completed is settled for good.
     * @param messages the messages, in the order of their partition
     * @return how many messages, from the first, are done and can be acknowledged; the rest must
     * be delivered again later
     */
    BatchOutcome handle(List<? extends InboundMessage> messages);

}
