package dev.eventbus.samples.inventory;

import java.util.UUID;

import dev.eventbus.EventKey;
import dev.eventbus.EventType;

/**
 * An order was cancelled; its reservation, if any, is released.
 *
 * @param orderId the order
 */
@EventType("order.cancelled")
public record OrderCancelled(@EventKey UUID orderId) {

}
