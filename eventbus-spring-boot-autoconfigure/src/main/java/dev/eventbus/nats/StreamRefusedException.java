package dev.eventbus.nats;

/**
 * Thrown when a topic's stream cannot take its messages until an operator changes the streams:
 * the server refused to create it because its subjects overlap another stream's, a stream of
 * its name exists that does not take the topic's subjects, or the user may not read or create it.
 * The relay parks the topic's events meanwhile.
 */
public class StreamRefusedException extends IllegalStateException {

    StreamRefusedException(String message) {
        super(message);
    }

}
