package dev.eventbus.samples.inventory;

import java.util.UUID;

import dev.eventbus.EventKey;
import dev.eventbus.EventType;

/**
 * An order was placed; the inventory tries to reserve its stock.
 *
 * @param orderId the order
 * @param customer who ordered
 * @param sku what
 * @param quantity how many
 */
@EventType("order.placed")
public record OrderPlaced(@EventKey UUID orderId, String customer, String sku, int quantity) {

}
