package dev.eventbus.test.app;

import dev.eventbus.EventKey;
import dev.eventbus.EventType;

@EventType("shop.order-placed")
public record OrderPlaced(@EventKey String orderId, String sku, int quantity) {
}
