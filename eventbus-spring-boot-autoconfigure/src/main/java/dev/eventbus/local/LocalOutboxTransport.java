package dev.eventbus.local;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.eventbus.outbox.PendingOutboxEvent;
import dev.eventbus.transport.OutboxTransport;
import dev.eventbus.transport.SendOutcome;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The relay side of the {@code local} transport: appends a round's events to the {@link LocalLog}
 * in the round's own transaction, so that they are in the log exactly when they are marked
 * published, and wakes this application's readers once it has committed. A failed append fails the
 * round, which is rolled back and repeated.
 */
public class LocalOutboxTransport implements OutboxTransport {

    private final LocalLog log;

    private final LocalSignals signals;

    /**
     * Creates the transport.
     * @param log the log, on the outbox's data source
     * @param signals wakes the readers
     */
    public LocalOutboxTransport(LocalLog log, LocalSignals signals) {
        this.log = log;
        this.signals = signals;
    }

    @Override
    public SendOutcome send(List<PendingOutboxEvent> events) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("The local transport appends in the relay round's transaction,"
                    + " but none is active");
        }
        this.log.appendRelayed(events.stream().map(PendingOutboxEvent::event).toList());
        Set<String> topics = new LinkedHashSet<>();
        events.forEach((event) -> topics.add(event.event().topic()));
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

            @Override
            public void afterCommit() {
                LocalOutboxTransport.this.signals.appended(topics);
            }

        });
        return new SendOutcome(events.stream().map(PendingOutboxEvent::id).toList(), Map.of(), null);
    }

}
