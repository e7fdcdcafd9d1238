package dev.eventbus.samples.inventory;

import java.util.Optional;
import java.util.UUID;

import dev.eventbus.EventPublisher;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reserves and releases stock for orders and publishes the outcome. Called from event handlers,
 * so each call joins the handler's transaction: the stock change, the outcome event and the
 * processed-event record commit together.
 */
@Service
public class StockService {

    private final JdbcClient jdbc;

    private final EventPublisher events;

    StockService(JdbcClient jdbc, EventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    @Transactional(readOnly = true)
    public Optional<Stock> find(String sku) {
        return this.jdbc.sql("SELECT sku, available, reserved FROM stock WHERE sku = ?")
            .param(sku)
            .query(Stock.class)
            .optional();
    }

    @Transactional
    public void reserve(UUID orderId, String sku, int quantity) {
        int reserved = this.jdbc.sql("UPDATE stock SET available = available - ?, reserved = reserved + ?"
                + " WHERE sku = ? AND available >= ?")
            .params(quantity, quantity, sku, quantity)
            .update();
        if (reserved == 1) {
            this.jdbc.sql("INSERT INTO reservation (order_id, sku, quantity) VALUES (?, ?, ?)")
                .params(orderId, sku, quantity)
                .update();
            this.events.publish(new InventoryReserved(orderId, sku, quantity));
        }
        else {
            this.events.publish(new InventoryReservationFailed(orderId, find(sku)
                .map((stock) -> "only " + stock.available() + " of " + sku + " available, " + quantity + " requested")
                .orElse("unknown sku " + sku)));
        }
    }

    @Transactional
    public void release(UUID orderId) {
        this.jdbc.sql("SELECT sku, quantity FROM reservation WHERE order_id = ?")
            .param(orderId)
            .query((rs, row) -> new InventoryReserved(orderId, rs.getString("sku"), rs.getInt("quantity")))
            .optional()
            .ifPresent((reservation) -> {
                this.jdbc.sql("UPDATE stock SET available = available + ?, reserved = reserved - ? WHERE sku = ?")
                    .params(reservation.quantity(), reservation.quantity(), reservation.sku())
                    .update();
                this.jdbc.sql("DELETE FROM reservation WHERE order_id = ?").param(orderId).update();
                this.events.publish(new StockReleased(orderId, reservation.sku(), reservation.quantity()));
            });
    }

}
