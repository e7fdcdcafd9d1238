package dev.eventbus.samples.order;

import java.util.UUID;

import dev.eventbus.EventKey;
import dev.eventbus.EventType;

/**
 * The inventory service could not reserve the stock of an order.
 *
 * @param orderId the order
 * @param reason why
 */
@EventType("inventory.reservation-failed")
public record InventoryReservationFailed(@EventKey UUID orderId, String reason) {

}
