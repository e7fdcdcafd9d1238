package dev.eventbus.test;

import java.time.Duration;

import dev.eventbus.EventPublisher;

import org.springframework.transaction.support.TransactionOperations;

/**
 * Starts something in the application and waits for the events that follow:
 * <pre class="code">
 * InventoryReserved reserved = scenario.publish(new OrderPlaced("order-1", "sku-1", 2))
 *     .andWaitForPublished(InventoryReserved.class, "order-1")
 *     .event();
 * </pre>
 * The stimulus runs in a transaction that commits before the waiting starts; only what is
 * recorded after the stimulus began counts.
 *
 * @since 0.2.0
 */
public final class EventScenario {

    /** How long a scenario waits unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    private final RecordedEvents records;

    private final TransactionOperations transaction;

    private final EventPublisher publisher;

    private final Duration timeout;

    /**
     * Creates a scenario.
     * @param records the records of what is published and handled
     * @param transaction the transaction a stimulus runs in
     * @param publisher publishes the events of {@link #publish(Object)}
     * @param timeout how long to wait
     */
    public EventScenario(RecordedEvents records, TransactionOperations transaction, EventPublisher publisher,
            Duration timeout) {
        this.records = records;
        this.transaction = transaction;
        this.publisher = publisher;
        this.timeout = timeout;
    }

    /**
     * The same scenario with another timeout.
     * @param timeout how long to wait for each expected event
     * @return the scenario
     */
    public EventScenario within(Duration timeout) {
        return new EventScenario(this.records, this.transaction, this.publisher, timeout);
    }

    /**
     * Runs a stimulus, such as a call of a service method, in a transaction.
     * @param stimulus what starts the scenario
     * @return the running scenario, to wait for what follows
     */
    public RunningScenario when(Runnable stimulus) {
        RecordedEvents.Mark mark = this.records.mark();
        this.transaction.executeWithoutResult((status) -> stimulus.run());
        return new RunningScenario(this.records, mark, this.timeout);
    }

    /**
     * Publishes an event in a transaction, with the key of its {@code @EventKey}.
     * @param event an {@code @EventType} object
     * @return the running scenario, to wait for what follows
     */
    public RunningScenario publish(Object event) {
        return when(() -> this.publisher.publish(event));
    }

    /**
     * Publishes an event with a key in a transaction.
     * @param event an {@code @EventType} object
     * @param key the event key
     * @return the running scenario, to wait for what follows
     */
    public RunningScenario publish(Object event, String key) {
        return when(() -> this.publisher.publish(event, key));
    }

}
