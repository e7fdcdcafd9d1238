package dev.eventbus.test.app;

import dev.eventbus.EventKey;
import dev.eventbus.EventType;

@EventType(value = "shop.stock-reserved", version = 2)
public record StockReserved(@EventKey String orderId, int quantity) {
}
