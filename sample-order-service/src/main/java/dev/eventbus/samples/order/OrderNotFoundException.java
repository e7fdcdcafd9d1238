package dev.eventbus.samples.order;

import java.util.UUID;

class OrderNotFoundException extends RuntimeException {

    OrderNotFoundException(UUID id) {
        super("No order " + id);
    }

}
