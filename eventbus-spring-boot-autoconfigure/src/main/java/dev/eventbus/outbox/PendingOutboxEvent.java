package dev.eventbus.outbox;

/**
 * An outbox row not yet published.
 *
 * @param id the row id; ids grow in insertion order
 * @param event the stored event
 */
public record PendingOutboxEvent(long id, OutboxEvent event) {

}
