package dev.eventbus.transport;

import java.util.List;

import dev.eventbus.outbox.PendingOutboxEvent;

/**
 * Sends the events of one relay round to a broker: the relay side of a transport.
 * <p>
 * The events come in outbox order; those of one lane ({@code event().lane()}) must reach the
 * broker in that order, and after the first event of a lane that the broker refuses, no later
 * event of that lane may be sent in this round. The relay marks published only the
 * acknowledged events whose earlier events of the same lane were acknowledged too, so an
 * implementation that acknowledges a later event after an earlier one failed loses nothing: the
 * later one is sent again.
 * <p>
 * A round may hand several batches over before the first is answered ({@link #sendAsync}); a
 * transport that can only wait for its broker implements {@link #send} alone.
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

    /**
     * Hands events over to the broker and returns without waiting for its answers, so that the
     * relay can read and hand over the round's next batch meanwhile. The batches of a round are
     * handed over one after the other, and those of one lane must reach the broker in that order
     * too. If the transport stops handing this batch's events over before the last one, for a
     * failure that sending again may cure, the returned batch must be {@linkplain PendingSend#isAnswered()
     * answered} when this method returns: the relay then hands nothing more over in this round.
     * The default sends and waits.
     * @param events a batch of the round, oldest first
     * @return the batch, whose outcome the relay awaits
     * @since 0.3.0
     */
    default PendingSend sendAsync(List<PendingOutboxEvent> events) {
        return PendingSend.answered(send(events));
    }

}
