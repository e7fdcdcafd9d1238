package dev.eventbus.transport;

/**
 * Keeps a message the core gave up on: the dead-letter topic, queue or stream of a transport.
 * The message keeps its body and headers, so its event id is unchanged, and gains the cause.
 *
 * @since 0.2.0
 */
@FunctionalInterface
public interface DeadLetterSink {

    /**
     * Stores a message as dead letter and returns once the broker has it.
     * @param group the consumer group that gave up
     * @param message the message as received
     * @param cause why it was given up
     * @param attempts how many handling attempts were made; {@code 1} for a message that could not
     * be decoded
     * @throws RuntimeException if the dead letter could not be stored; the message is then
     * delivered again
     */
    void deadLetter(String group, InboundMessage message, Exception cause, int attempts);

}
