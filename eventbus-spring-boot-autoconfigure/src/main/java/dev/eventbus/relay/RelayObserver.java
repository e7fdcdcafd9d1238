package dev.eventbus.relay;

import java.time.Duration;

/**
 * Told what the relay sends, for metrics and health. Implementations must be fast and must not
 * throw; they are called on the relay's threads.
 *
 * @since 0.1.0
 */
public interface RelayObserver {

    /**
     * The broker acknowledged an event.
     * @param topic the topic
     * @param sinceOccurred the time from publication to the acknowledgement
     */
    default void published(String topic, Duration sinceOccurred) {
    }

    /**
     * Sending an event failed.
     * @param topic the topic
     * @param failure why
     */
    default void failed(String topic, Throwable failure) {
    }

    /**
     * The broker refused an event for good; it is parked and the relay goes on.
     * @param topic the topic
     * @param cause the broker's reason
     */
    default void parked(String topic, Throwable cause) {
    }

}
