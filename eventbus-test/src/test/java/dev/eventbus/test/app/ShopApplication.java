package dev.eventbus.test.app;

import dev.eventbus.EventHandler;
import dev.eventbus.EventMetadata;
import dev.eventbus.EventPublisher;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A shop whose orders reserve stock: an order service publishes {@link OrderPlaced}, the
 * inventory's handler answers with {@link StockReserved}, and refuses the sku {@code broken}.
 */
@SpringBootApplication
public class ShopApplication {

    @Service
    public static class Orders {

        private final EventPublisher publisher;

        Orders(EventPublisher publisher) {
            this.publisher = publisher;
        }

        @Transactional
        public void place(String orderId, String sku, int quantity) {
            this.publisher.publish(new OrderPlaced(orderId, sku, quantity));
        }

        @Transactional
        public void placeThenFail(String orderId) {
            this.publisher.publish(new OrderPlaced(orderId, "sku-1", 1));
            throw new IllegalStateException("rolled back");
        }

    }

    @Component
    public static class Inventory {

        private final EventPublisher publisher;

        Inventory(EventPublisher publisher) {
            this.publisher = publisher;
        }

        @EventHandler(group = "inventory")
        public void on(OrderPlaced order, EventMetadata metadata) {
            if (order.sku().equals("broken")) {
                throw new IllegalArgumentException("no such sku: " + order.sku());
            }
            this.publisher.publish(new StockReserved(order.orderId(), order.quantity()));
        }

    }

}
