package dev.eventbus.samples.order;

/**
 * Where an order is in its life.
 */
public enum OrderStatus {

    PENDING, CONFIRMED, REJECTED, CANCELLED

}
