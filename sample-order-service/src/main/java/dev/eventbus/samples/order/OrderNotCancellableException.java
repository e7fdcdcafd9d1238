package dev.eventbus.samples.order;

import java.util.UUID;

class OrderNotCancellableException extends RuntimeException {

    OrderNotCancellableException(UUID id, OrderStatus status) {
        super("Order " + id + " is " + status + " and can no longer be cancelled");
    }

}
