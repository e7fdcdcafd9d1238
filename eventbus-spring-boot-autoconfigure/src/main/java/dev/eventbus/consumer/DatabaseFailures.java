package dev.eventbus.consumer;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells failures of an unreachable database from failures of a handler.
 */
final class DatabaseFailures {

    private DatabaseFailures() {
    }

    /**
     * Whether a failure, or one of its causes, means the database cannot be reached: Spring's
     * connection and transaction-start failures, a JDBC driver's connection failure (SQLSTATE
     * class {@code 08}, or {@code 57P} when PostgreSQL shuts down or is not ready yet), and a
     * failed commit or rollback whose own cause, or the handler failure it replaced, is one of
     * these. A rollback that fails because the connection died replaces the failure that started
     * it, which is often the connection failure itself.
     * @param exception the failure
     * @return {@code true} for failures the database's return can cure
     */
    static boolean isUnavailable(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof CannotCreateTransactionException || cause instanceof DataAccessResourceFailureException
                    || cause instanceof TransientDataAccessResourceException
                    || cause instanceof RecoverableDataAccessException
                    || (cause instanceof SQLException sql && isConnectionFailure(sql))) {
                return true;
            }
            if (cause instanceof TransactionSystemException failed && failed.getApplicationException() != null
                    && isUnavailable(failed.getApplicationException())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConnectionFailure(SQLException exception) {
        String state = exception.getSQLState();
        return exception instanceof SQLTransientConnectionException
                || exception instanceof SQLNonTransientConnectionException
                || (state != null && (state.startsWith("08") || state.startsWith("57P")));
    }

}
