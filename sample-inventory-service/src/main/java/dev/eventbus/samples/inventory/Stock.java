package dev.eventbus.samples.inventory;

/**
 * The stock of one item.
 *
 * @param sku the item
 * @param available how many can still be reserved
 * @param reserved how many are reserved for orders
 */
public record Stock(String sku, int available, int reserved) {

}
