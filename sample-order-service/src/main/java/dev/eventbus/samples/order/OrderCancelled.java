package dev.eventbus.samples.order;

import java.util.UUID;

import dev.eventbus.EventKey;
import dev.eventbus.EventType;

/**
 * Published when a customer cancels an order.
 *
 * @param orderId the order
 */
@EventType("order.cancelled")
public record OrderCancelled(@EventKey UUID orderId) {

}
