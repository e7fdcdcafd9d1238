package dev.eventbus.testapp;

import dev.eventbus.EventKey;
import dev.eventbus.EventType;

@EventType(value = "test.order-placed", version = 2)
public record OrderPlaced(@EventKey String orderId, int sequence, String note) {

    public OrderPlaced(String orderId, int sequence) {
        this(orderId, sequence, "");
    }

}
