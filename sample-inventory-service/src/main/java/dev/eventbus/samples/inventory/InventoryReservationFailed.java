package dev.eventbus.samples.inventory;

import java.util.UUID;

import dev.eventbus.EventKey;
import dev.eventbus.EventType;

/**
 * The stock of an order could not be reserved.
 *
 * @param orderId the order
 * @param reason why
 */
@EventType("inventory.reservation-failed")
public record InventoryReservationFailed(@EventKey UUID orderId, String reason) {

}
