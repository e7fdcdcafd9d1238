package dev.eventbus.outbox;

import dev.eventbus.EventPublisher;
import dev.eventbus.wire.EventTypeRegistry;

import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Sends {@code @EventType} objects published through Spring's {@code ApplicationEventPublisher}
 * (including Spring Data's {@code @DomainEvents}) inside a transaction to the outbox, in that
 * transaction. Outside a transaction they stay ordinary application events.
 */
public class ApplicationEventOutboxBridge implements ApplicationListener<PayloadApplicationEvent<?>> {

    private final EventTypeRegistry registry;

    private final EventPublisher publisher;

    /**
     * Creates the bridge.
     * @param registry tells which objects are events
     * @param publisher stores them
     */
    public ApplicationEventOutboxBridge(EventTypeRegistry registry, EventPublisher publisher) {
        this.registry = registry;
        this.publisher = publisher;
    }

    @Override
    public void onApplicationEvent(PayloadApplicationEvent<?> event) {
        Object payload = event.getPayload();
        if (TransactionSynchronizationManager.isActualTransactionActive()
                && this.registry.isEventType(payload.getClass())) {
            this.publisher.publish(payload);
        }
    }

    @Override
    public boolean supportsAsyncExecution() {
        return false;
    }

}
