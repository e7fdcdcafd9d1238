package dev.eventbus.consumer;

/**
 * A message that can never be handled: not a CloudEvent, or data that does not fit its event type.
 * It goes to the dead letters at once, without retries.
 */
public class MalformedEventException extends RuntimeException {

    /**
     * Creates the exception.
     * @param message what is wrong with the message
     */
    public MalformedEventException(String message) {
        super(message);
    }

    /**
     * Creates the exception.
     * @param message what is wrong with the message
     * @param cause the parsing failure
     */
    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }

}
