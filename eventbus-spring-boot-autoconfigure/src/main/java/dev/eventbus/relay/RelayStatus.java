package dev.eventbus.relay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Remembers whether the relay is failing, since when, and its last error.
 */
public class RelayStatus implements RelayObserver {

    private final Clock clock;

    private volatile @Nullable Instant failingSince;

    private volatile @Nullable String lastError;

    /**
     * Creates the status.
     * @param clock the current time
     */
    public RelayStatus(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void published(String topic, Duration sinceOccurred) {
        this.failingSince = null;
    }

    @Override
    public void failed(String topic, Throwable failure) {
        if (this.failingSince == null) {
            this.failingSince = this.clock.instant();
        }
        this.lastError = failure.getClass().getName() + ": " + failure.getMessage();
    }

    @Override
    public void parked(String topic, Throwable cause) {
        this.lastError = cause.getClass().getName() + ": " + cause.getMessage();
    }

    /**
     * How long the relay has been failing without a success in between.
     * @return the duration, or empty if the last send succeeded
     */
    public Optional<Duration> failingFor() {
        Instant since = this.failingSince;
        return (since != null) ? Optional.of(Duration.between(since, this.clock.instant())) : Optional.empty();
    }

    /**
     * The last send error.
     * @return the exception class and message, or empty if none happened
     */
    public Optional<String> lastError() {
        return Optional.ofNullable(this.lastError);
    }

}
