package dev.eventbus.outbox;

import java.util.List;

/**
 * Told when a transaction that stored events in the outbox has committed, for example to wake the
 * relay at once.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface OutboxCommitListener {

    /**
     * Called after the commit, on the committing thread; must return quickly and not throw.
     * @param events the events the transaction stored, in the order they were published
     */
    void outboxCommitted(List<OutboxEvent> events);

}
