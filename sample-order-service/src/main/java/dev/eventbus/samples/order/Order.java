package dev.eventbus.samples.order;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.domain.AbstractAggregateRoot;
import org.springframework.data.relational.core.mapping.Table;

/**
 * An order, a Spring Data JDBC aggregate. Its state changes register domain events, which Spring
 * Data publishes on save and eventbus stores in the outbox of the same transaction.
 */
@Table("orders")
public class Order extends AbstractAggregateRoot<Order> {

    @Id
    private final UUID id;

    @Version
    private @Nullable Long version;

    private final String customer;

    private final String sku;

    private final int quantity;

    private OrderStatus status;

    private @Nullable String reason;

    Order(UUID id, @Nullable Long version, String customer, String sku, int quantity, OrderStatus status,
            @Nullable String reason) {
        this.id = id;
        this.version = version;
        this.customer = customer;
        this.sku = sku;
        this.quantity = quantity;
        this.status = status;
        this.reason = reason;
    }

    static Order place(String customer, String sku, int quantity) {
        Order order = new Order(UUID.randomUUID(), null, customer, sku, quantity, OrderStatus.PENDING, null);
        order.registerEvent(new OrderPlaced(order.id, customer, sku, quantity));
        return order;
    }

    void confirm() {
        if (this.status == OrderStatus.PENDING) {
            this.status = OrderStatus.CONFIRMED;
        }
    }

    void reject(String reason) {
        if (this.status == OrderStatus.PENDING) {
            this.status = OrderStatus.REJECTED;
            this.reason = reason;
        }
    }

    void cancel() {
        if (this.status != OrderStatus.PENDING && this.status != OrderStatus.CONFIRMED) {
            throw new OrderNotCancellableException(this.id, this.status);
        }
        this.status = OrderStatus.CANCELLED;
        registerEvent(new OrderCancelled(this.id));
    }

    public UUID getId() {
        return this.id;
    }

    public String getCustomer() {
        return this.customer;
    }

    public String getSku() {
        return this.sku;
    }

    public int getQuantity() {
        return this.quantity;
    }

    public OrderStatus getStatus() {
        return this.status;
    }

    public @Nullable String getReason() {
        return this.reason;
    }

}
