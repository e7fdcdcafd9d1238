package dev.eventbus.transport;

/**
 * Keeps a message the core gave up on: the dead-letter topic, queue or stream of a transport.
 * The message keeps its body and headers, so its event id is unchanged, and gains the cause.
 * A sink may send without waiting for the broker, as long as {@link #flush()} waits: the core
 * flushes before it reports any of the messages done.
 *
 * @since 0.2.0
 */
@FunctionalInterface
public interface DeadLetterSink {

    /**
     * Hands a message over as dead letter; it is stored for good once {@link #flush()} returned.
     * @param group the consumer group that gave up
     * @param message the message as received
     * @param cause why it was given up
     * @param attempts how many handling attempts were made; {@code 1} for a message that could not
     * be decoded
     * @throws RuntimeException if the dead letter could not be stored; the message is then
     * delivered again
     */
    void deadLetter(String group, InboundMessage message, Exception cause, int attempts);

    /**
     * Waits until every dead letter handed over on this thread is stored. Does nothing by default,
     * for sinks that store each one before {@link #deadLetter} returns.
     * @throws RuntimeException if one could not be stored; the messages from the first one handed
     * over since the last flush are then delivered again
     */
    default void flush() {
    }

}
