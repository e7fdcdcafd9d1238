package dev.eventbus.samples.order;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Places and cancels orders and follows the inventory's answers. Each method is one transaction:
 * the order and the events it registers are stored together or not at all.
 */
@Service
public class OrderService {

    private final OrderRepository orders;

    private final JdbcClient jdbc;

    OrderService(OrderRepository orders, JdbcClient jdbc) {
        this.orders = orders;
        this.jdbc = jdbc;
    }

    @Transactional
    public Order place(String customer, String sku, int quantity) {
        boolean known = this.jdbc.sql("SELECT COUNT(*) FROM catalog WHERE sku = ?").param(sku).query(Integer.class)
            .single() > 0;
        if (!known) {
            throw new UnknownSkuException(sku);
        }
        return this.orders.save(Order.place(customer, sku, quantity));
    }

    @Transactional(readOnly = true)
    public Order find(UUID id) {
        return this.orders.findById(id).orElseThrow(() -> new OrderNotFoundException(id));
    }

    @Transactional
    public Order cancel(UUID id) {
        Order order = find(id);
        order.cancel();
        return this.orders.save(order);
    }

    @Transactional
    public void confirm(UUID id) {
        Order order = find(id);
        order.confirm();
        this.orders.save(order);
    }

    @Transactional
    public void reject(UUID id, String reason) {
        Order order = find(id);
        order.reject(reason);
        this.orders.save(order);
    }

}
