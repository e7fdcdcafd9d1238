package dev.eventbus.consumer;

/**
 * A record that can never be handled: not a CloudEvent, or data that does not fit its event type.
 * It goes to the dead-letter topic at once, without retries.
 */
public class MalformedEventException extends RuntimeException {

    public MalformedEventException(String message) {
        super(message);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }

}
