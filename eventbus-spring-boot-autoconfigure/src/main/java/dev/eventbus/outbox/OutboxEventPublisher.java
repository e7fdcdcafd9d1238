package dev.eventbus.outbox;

import java.util.UUID;

import dev.eventbus.EventPublisher;
import org.jspecify.annotations.Nullable;

/**
 * The {@link EventPublisher} of the starter: events go to the outbox of the current transaction.
 */
public class OutboxEventPublisher implements EventPublisher {

    private final OutboxEventFactory eventFactory;

    private final TransactionalOutbox outbox;

    /**
     * Creates a publisher.
     * @param eventFactory turns event objects into outbox events
     * @param outbox collects them in the current transaction
     */
    public OutboxEventPublisher(OutboxEventFactory eventFactory, TransactionalOutbox outbox) {
        this.eventFactory = eventFactory;
        this.outbox = outbox;
    }

    @Override
    public UUID publish(Object event) {
        return store(this.eventFactory.create(event));
    }

    @Override
    public UUID publish(Object event, @Nullable String key) {
        return store(this.eventFactory.create(event, key));
    }

    private UUID store(OutboxEvent event) {
        this.outbox.add(event);
        return event.eventId();
    }

}
