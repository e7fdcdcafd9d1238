package dev.eventbus.samples.order;

import java.util.UUID;

import dev.eventbus.EventKey;
import dev.eventbus.EventType;

/**
 * Published when a customer places an order.
 *
 * @param orderId the order, also the key that keeps each order's events in sequence
 * @param customer who ordered
 * @param sku what
 * @param quantity how many
 */
@EventType("order.placed")
public record OrderPlaced(@EventKey UUID orderId, String customer, String sku, int quantity) {

}
