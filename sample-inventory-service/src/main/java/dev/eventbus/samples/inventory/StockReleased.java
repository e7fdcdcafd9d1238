package dev.eventbus.samples.inventory;

import java.util.UUID;

import dev.eventbus.EventKey;
import dev.eventbus.EventType;

/**
 * The reservation of a cancelled order was released.
 *
 * @param orderId the order
 * @param sku the released item
 * @param quantity how many were released
 */
@EventType("stock.released")
public record StockReleased(@EventKey UUID orderId, String sku, int quantity) {

}
