package dev.eventbus.samples.inventory;

import dev.eventbus.EventHandler;

import org.springframework.stereotype.Component;

/**
 * Reserves stock for placed orders and releases it for cancelled ones, each exactly once in
 * effect: a redelivered event is skipped by eventbus before it reaches these methods.
 */
@Component
class OrderHandlers {

    private final StockService stock;

    OrderHandlers(StockService stock) {
        this.stock = stock;
    }

    @EventHandler
    void on(OrderPlaced event) {
        this.stock.reserve(event.orderId(), event.sku(), event.quantity());
    }

    @EventHandler
    void on(OrderCancelled event) {
        this.stock.release(event.orderId());
    }

}
