package dev.eventbus.samples.inventory;

import java.util.UUID;

import dev.eventbus.EventKey;
import dev.eventbus.EventType;

/**
 * The stock of an order is reserved.
 *
 * @param orderId the order
 * @param sku the reserved item
 * @param quantity how many were reserved
 */
@EventType("inventory.reserved")
public record InventoryReserved(@EventKey UUID orderId, String sku, int quantity) {

}
