package dev.eventbus.transport;

/**
 * A batch of events handed over to the broker by {@link OutboxTransport#sendAsync}, whose
 * answers may not all be in yet.
 *
 * @since 0.3.0
 */
public interface PendingSend {

    /**
     * Whether the broker has acknowledged or refused each event of the batch, so that
     * {@link #await()} returns at once.
     * @return {@code true} if it has
     */
    boolean isAnswered();

    /**
     * Waits until the broker has acknowledged or refused each event of the batch. Called on the
     * relay's thread.
     * @return the outcome, never {@code null}
     */
    SendOutcome await();

    /**
     * A batch already answered.
     * @param outcome its outcome
     * @return the pending send
     */
    static PendingSend answered(SendOutcome outcome) {
        return new PendingSend() {

            @Override
            public boolean isAnswered() {
                return true;
            }

            @Override
            public SendOutcome await() {
                return outcome;
            }

        };
    }

}
