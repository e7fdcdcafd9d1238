package dev.eventbus.nats;

/**
 * Thrown when the server denied the connection's user publishing to a subject: the relay parks
 * the events that went there, until an operator changes the user's permissions.
 *
 * @since 0.2.0
 */
public class PublishDeniedException extends IllegalStateException {

    PublishDeniedException(String message) {
        super(message);
    }

}
