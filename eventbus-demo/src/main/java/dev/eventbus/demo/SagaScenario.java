package dev.eventbus.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * The scripted demo: an order that is confirmed, one rejected for lack of stock, and one
 * cancelled with its stock released, all through the services' REST APIs.
 */
public final class SagaScenario {

    /**
     * An order as the order service shows it.
     *
     * @param id the order id
     * @param customer who ordered
     * @param sku what
     * @param quantity how many
     * @param status where the order is
     * @param reason why it was rejected, if it was
     */
    public record OrderView(UUID id, String customer, String sku, int quantity, String status,
            @Nullable String reason) {
    }

    /**
     * Stock as the inventory service shows it.
     *
     * @param sku the item
     * @param available how many can be reserved
     * @param reserved how many are reserved
     */
    public record StockView(String sku, int available, int reserved) {
    }

    /**
     * What the scenario ended with.
     *
     * @param confirmed the order that was confirmed
     * @param rejected the order rejected for lack of stock
     * @param cancelled the order cancelled after its confirmation
     * @param stock the stock of every item afterwards
     */
    public record Outcome(OrderView confirmed, OrderView rejected, OrderView cancelled, List<StockView> stock) {
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ServiceClient client = new ServiceClient();

    private final String orders;

    private final String inventory;

    private final PrintStream out;

    public SagaScenario(String orderServiceUrl, String inventoryServiceUrl, PrintStream out) {
        this.orders = orderServiceUrl + "/orders";
        this.inventory = inventoryServiceUrl + "/stock/";
        this.out = out;
    }

    /**
     * Runs the three orders and prints each step.
     * @return the final orders and stock
     */
    public Outcome run() {
        this.out.println("1. Ada orders 2 x BOOK-1 (10 in stock)");
        OrderView confirmed = awaitStatus(place("ada", "BOOK-1", 2), (order) -> !order.status().equals("PENDING"));
        print(confirmed);

        this.out.println("2. Grace orders 5 x LAMP-1 (1 in stock)");
        OrderView rejected = awaitStatus(place("grace", "LAMP-1", 5), (order) -> !order.status().equals("PENDING"));
        print(rejected);

        this.out.println("3. Linus orders 3 x MUG-1 (5 in stock), then cancels");
        OrderView placed = awaitStatus(place("linus", "MUG-1", 3), (order) -> !order.status().equals("PENDING"));
        print(placed);
        this.client.post(this.orders + "/" + placed.id() + "/cancel", "");
        OrderView cancelled = awaitStatus(placed.id(), (order) -> order.status().equals("CANCELLED"));
        StockView mugs = awaitStock("MUG-1", (stock) -> stock.reserved() == 0);
        print(cancelled);
        this.out.println("   MUG-1 stock released: " + mugs.available() + " available, " + mugs.reserved() + " reserved");

        List<StockView> stock = List.of(stock("BOOK-1"), stock("LAMP-1"), stock("MUG-1"));
        return new Outcome(confirmed, rejected, cancelled, stock);
    }

    private UUID place(String customer, String sku, int quantity) {
        ServiceClient.Response response = this.client.post(this.orders,
                Map.of("customer", customer, "sku", sku, "quantity", quantity));
        if (response.status() != 201) {
            throw new IllegalStateException("Placing the order failed: " + response);
        }
        OrderView order = response.as(OrderView.class);
        this.out.println("   POST /orders -> 201 " + order.id() + " " + order.status());
        return order.id();
    }

    private OrderView awaitStatus(UUID id, Predicate<OrderView> done) {
        return await(() -> this.client.get(this.orders + "/" + id).as(OrderView.class), done,
                "order " + id);
    }

    private StockView awaitStock(String sku, Predicate<StockView> done) {
        return await(() -> stock(sku), done, "stock of " + sku);
    }

    private StockView stock(String sku) {
        return this.client.get(this.inventory + sku).as(StockView.class);
    }

    private void print(OrderView order) {
        this.out.println("   GET /orders/" + order.id() + " -> " + order.status()
                + ((order.reason() != null) ? " (" + order.reason() + ")" : ""));
    }

    private static <T> T await(Supplier<T> read, Predicate<T> done, String what) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        T value = read.get();
        while (!done.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Gave up waiting for " + what + ", last seen " + value);
            }
            try {
                Thread.sleep(50);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
            value = read.get();
        }
        return value;
    }

}
