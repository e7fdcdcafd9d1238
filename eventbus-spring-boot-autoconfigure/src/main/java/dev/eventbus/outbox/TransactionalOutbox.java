package dev.eventbus.outbox;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.core.Ordered;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Collects the events published during a transaction and writes them to the outbox as one JDBC
 * batch just before the transaction commits, then tells the {@link OutboxCommitListener commit
 * listeners} once it has committed.
 */
public class TransactionalOutbox {

    private final JdbcOutboxRepository repository;

    private final DataSource dataSource;

    private final TransactionOperations standaloneTransaction;

    private final boolean requireTransaction;

    private final List<OutboxCommitListener> commitListeners;

    /**
     * Creates an outbox.
     * @param repository writes the events
     * @param dataSource the outbox's data source, which a transaction must include
     * @param standaloneTransaction runs the write when no transaction is active and none is required
     * @param requireTransaction whether {@link #add} without an active transaction is refused
     * @param commitListeners told after each commit that stored events
     */
    public TransactionalOutbox(JdbcOutboxRepository repository, DataSource dataSource,
            TransactionOperations standaloneTransaction, boolean requireTransaction,
            List<OutboxCommitListener> commitListeners) {
        this.repository = repository;
        this.dataSource = dataSource;
        this.standaloneTransaction = standaloneTransaction;
        this.requireTransaction = requireTransaction;
        this.commitListeners = List.copyOf(commitListeners);
    }

    /**
     * Adds an event to the current transaction's outbox writes.
     * @param event the event
     * @throws IllegalStateException if no transaction is active and one is required, or if the
     * active transaction does not include the outbox's data source
     */
    public void add(OutboxEvent event) {
        if (TransactionSynchronizationManager.isSynchronizationActive()
                && TransactionSynchronizationManager.isActualTransactionActive()) {
            if (!TransactionSynchronizationManager.hasResource(this.dataSource)) {
                throw new IllegalStateException("The active transaction does not include the outbox's DataSource"
                        + " (a transaction of another DataSource, of Kafka or of JTA), so the event would be stored"
                        + " outside it: publish in a transaction of a transaction manager for that DataSource, such"
                        + " as DataSourceTransactionManager or JpaTransactionManager");
            }
            pendingWrites().add(event);
        }
        else if (this.requireTransaction) {
            throw new IllegalStateException("No transaction is active: publish events inside a @Transactional method"
                    + " so they are stored with your data, or set eventbus.outbox.require-transaction=false to"
                    + " store each one in a transaction of its own");
        }
        else {
            this.standaloneTransaction.executeWithoutResult((status) -> this.repository.insert(List.of(event)));
            committed(List.of(event));
        }
    }

    private PendingWrites pendingWrites() {
        PendingWrites writes = (PendingWrites) TransactionSynchronizationManager.getResource(this);
        if (writes == null) {
            writes = new PendingWrites();
            TransactionSynchronizationManager.bindResource(this, writes);
            TransactionSynchronizationManager.registerSynchronization(writes);
        }
        return writes;
    }

    private void committed(List<OutboxEvent> events) {
        for (OutboxCommitListener listener : this.commitListeners) {
            listener.outboxCommitted(events);
        }
    }

    /**
     * The events of one transaction. Before the commit they are written as one batch; an event
     * published later in the commit phase (by another before-commit callback) is written at once.
     * Suspended with its transaction, so an inner {@code REQUIRES_NEW} transaction gets its own;
     * the events of a nested scope rolled back to its savepoint are dropped with it (all of them
     * when the savepoint was taken before the first event, which these writes then never heard of).
     */
    private final class PendingWrites implements TransactionSynchronization {

        private final List<OutboxEvent> events = new ArrayList<>();

        private final Map<Object, Integer> sizeAtSavepoint = new IdentityHashMap<>();

        private boolean flushed;

        void add(OutboxEvent event) {
            if (this.flushed) {
                TransactionalOutbox.this.repository.insert(List.of(event));
            }
            this.events.add(event);
        }

        @Override
        public void savepoint(Object savepoint) {
            this.sizeAtSavepoint.put(savepoint, this.events.size());
        }

        @Override
        public void savepointRollback(Object savepoint) {
            int size = this.sizeAtSavepoint.getOrDefault(savepoint, 0);
            this.sizeAtSavepoint.remove(savepoint);
            if (!this.flushed) {
                this.events.subList(size, this.events.size()).clear();
            }
        }

        @Override
        public void suspend() {
            TransactionSynchronizationManager.unbindResource(TransactionalOutbox.this);
        }

        @Override
        public void resume() {
            TransactionSynchronizationManager.bindResource(TransactionalOutbox.this, this);
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            if (!this.events.isEmpty()) {
                TransactionalOutbox.this.repository.insert(List.copyOf(this.events));
            }
            this.flushed = true;
        }

        @Override
        public void afterCommit() {
            committed(List.copyOf(this.events));
        }

        @Override
        public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(TransactionalOutbox.this);
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }

    }

}
