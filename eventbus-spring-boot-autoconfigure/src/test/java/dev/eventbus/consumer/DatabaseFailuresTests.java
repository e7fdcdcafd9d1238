package dev.eventbus.consumer;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseFailuresTests {

    private static final SQLException ADMIN_SHUTDOWN = new SQLException(
            "FATAL: terminating connection due to administrator command", "57P01");

    @Test
    void connectionAndTransactionStartFailuresAreUnavailability() {
        assertThat(DatabaseFailures.isUnavailable(new CannotCreateTransactionException("no connection"))).isTrue();
        assertThat(DatabaseFailures.isUnavailable(new DataAccessResourceFailureException("gone", ADMIN_SHUTDOWN)))
            .isTrue();
        assertThat(DatabaseFailures.isUnavailable(new IllegalStateException("wrapped", ADMIN_SHUTDOWN))).isTrue();
        assertThat(DatabaseFailures.isUnavailable(new SQLException("I/O error", "08006"))).isTrue();
    }

    @Test
    void rollbackThatFailedOnTheDeadConnectionIsUnavailabilityAsTheFailureItReplaced() {
        TransactionSystemException rollbackFailed = new TransactionSystemException(
                "Could not roll back JDBC transaction", new SQLException("This connection has been closed.", "08003"));
        rollbackFailed.initApplicationException(new DataAccessResourceFailureException("gone", ADMIN_SHUTDOWN));

        assertThat(DatabaseFailures.isUnavailable(rollbackFailed)).isTrue();
    }

    @Test
    void rollbackFailureWithoutAConnectionCauseCountsAsUnavailableOnlyThroughTheFailureItReplaced() {
        TransactionSystemException rollbackFailed = new TransactionSystemException("Could not roll back");
        rollbackFailed.initApplicationException(new DataAccessResourceFailureException("gone"));
        TransactionSystemException handlerFailed = new TransactionSystemException("Could not roll back");
        handlerFailed.initApplicationException(new IllegalArgumentException("handler bug"));

        assertThat(DatabaseFailures.isUnavailable(rollbackFailed)).isTrue();
        assertThat(DatabaseFailures.isUnavailable(handlerFailed)).isFalse();
    }

    @Test
    void handlerAndDataFailuresAreNotUnavailability() {
        assertThat(DatabaseFailures.isUnavailable(new IllegalStateException("handler bug"))).isFalse();
        assertThat(DatabaseFailures.isUnavailable(new DataIntegrityViolationException("duplicate",
                new SQLException("duplicate key value violates unique constraint", "23505"))))
            .isFalse();
        assertThat(DatabaseFailures.isUnavailable(new SQLException("no state"))).isFalse();
    }

}
