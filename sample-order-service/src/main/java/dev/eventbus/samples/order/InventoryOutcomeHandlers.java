package dev.eventbus.samples.order;

import dev.eventbus.EventHandler;

import org.springframework.stereotype.Component;

/**
 * Follows the inventory's answer to each placed order.
 */
@Component
class InventoryOutcomeHandlers {

    private final OrderService orders;

    InventoryOutcomeHandlers(OrderService orders) {
        this.orders = orders;
    }

    @EventHandler
    void on(InventoryReserved event) {
        this.orders.confirm(event.orderId());
    }

    @EventHandler
    void on(InventoryReservationFailed event) {
        this.orders.reject(event.orderId(), event.reason());
    }

}
