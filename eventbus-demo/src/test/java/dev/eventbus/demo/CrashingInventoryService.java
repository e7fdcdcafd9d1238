package dev.eventbus.demo;

import dev.eventbus.EventHandler;
import dev.eventbus.samples.inventory.InventoryServiceApplication;
import dev.eventbus.samples.inventory.OrderPlaced;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The inventory service with one more handler in its group that stops the JVM right after the
 * reservation's transaction committed, before the consumer commits the offset.
 */
public final class CrashingInventoryService {

    private CrashingInventoryService() {
    }

    public static void main(String[] args) {
        InventoryServiceApplication.application().sources(HaltAfterCommit.class).run(args);
    }

    static class HaltAfterCommit {

        @EventHandler
        void on(OrderPlaced event) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    Runtime.getRuntime().halt(3);
                }
            });
        }

    }

}
