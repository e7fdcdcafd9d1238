package dev.eventbus.consumer;

/**
 * A record that can never be handled: not a CloudEvent, or data that does not fit its event type.
 * It goes to the dead-letter topic at once, without retries.
 */
public class MalformedEventException extends RuntimeException {

    /**
     * Creates the exception.
     * @param message what is wrong with the record
     */
    public MalformedEventException(String message) {
        super(message);
    }

    /**
     * Creates the exception.
     * @param message what is wrong with the record
     * @param cause the parsing failure
     */
    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }

}
