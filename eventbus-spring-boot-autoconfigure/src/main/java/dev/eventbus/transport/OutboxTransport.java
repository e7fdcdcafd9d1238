package dev.eventbus.transport;

import java.util.List;

import dev.eventbus.outbox.PendingOutboxEvent;

/**
 * Sends the events of one relay round to a broker: the relay side of a transport.
 * <p>
 * The events come in outbox order; those of one lane ({@code event().lane()}) must reach the
 * broker in that order: no later event of a lane may reach the broker ahead of an earlier one
 * that failed for a reason that may pass, so an implementation stops handing over a lane's events
 * at such a failure, or hands the failed one over again first. An event refused for good (parked)
 * does not hold its lane up. The relay marks published only the acknowledged events whose earlier
 * events of the same lane were acknowledged or refused too, so an implementation that
 * acknowledges a later event after an earlier one failed loses nothing: the later one is sent
 * again.
 *
 * @since 0.2.0
 */
@FunctionalInterface
public interface OutboxTransport {

    /**
     * Sends events and waits until the broker has acknowledged or refused each of them.
     * @param events the events of the round, oldest first
     * @return the acknowledged row ids and the first failure, never {@code null}
     */
    SendOutcome send(List<PendingOutboxEvent> events);

}
