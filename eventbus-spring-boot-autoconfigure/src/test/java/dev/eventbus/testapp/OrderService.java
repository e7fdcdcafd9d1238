package dev.eventbus.testapp;

import java.util.List;
import java.util.UUID;

import dev.eventbus.EventPublisher;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class OrderService {

    private final EventPublisher eventPublisher;

    private final ApplicationEventPublisher applicationEventPublisher;

    OrderService(EventPublisher eventPublisher, ApplicationEventPublisher applicationEventPublisher) {
        this.eventPublisher = eventPublisher;
        this.applicationEventPublisher = applicationEventPublisher;
    }

    @Transactional
    public UUID place(OrderPlaced event) {
        return this.eventPublisher.publish(event);
    }

    @Transactional
    public List<UUID> placeAll(List<OrderPlaced> events) {
        return events.stream().map(this.eventPublisher::publish).toList();
    }

    @Transactional
    public UUID placeThenFail(OrderPlaced event) {
        UUID id = this.eventPublisher.publish(event);
        throw new RolledBack(id);
    }

    @Transactional
    public void placeThroughApplicationEvents(OrderPlaced event) {
        this.applicationEventPublisher.publishEvent(event);
    }

    public static final class RolledBack extends RuntimeException {

        private final UUID eventId;

        RolledBack(UUID eventId) {
            super("rolled back on purpose");
            this.eventId = eventId;
        }

        public UUID eventId() {
            return this.eventId;
        }

    }

}
