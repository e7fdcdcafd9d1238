package dev.eventbus.outbox;

import dev.eventbus.EventPublisher;

import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;

/**
 * Sends {@code @EventType} objects published through Spring's {@code ApplicationEventPublisher}
 * (including Spring Data's {@code @DomainEvents}) to the outbox, in the publishing transaction.
 */
public class ApplicationEventOutboxBridge implements ApplicationListener<PayloadApplicationEvent<?>> {

    private final EventTypeRegistry registry;

    private final EventPublisher publisher;

    public ApplicationEventOutboxBridge(EventTypeRegistry registry, EventPublisher publisher) {
        this.registry = registry;
        this.publisher = publisher;
    }

    @Override
    public void onApplicationEvent(PayloadApplicationEvent<?> event) {
        Object payload = event.getPayload();
        if (this.registry.isEventType(payload.getClass())) {
            this.publisher.publish(payload);
        }
    }

    @Override
    public boolean supportsAsyncExecution() {
        return false;
    }

}
