package dev.eventbus.consumer;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells failures of an unreachable database from failures of a handler.
 */
final class DatabaseFailures {

    private DatabaseFailures() {
    }

    /**
     * Whether a failure, or one of its causes, means the database cannot be reached.
     * @param exception the failure
     * @return {@code true} for connection and transaction-start failures
     */
    static boolean isUnavailable(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof CannotCreateTransactionException || cause instanceof DataAccessResourceFailureException
                    || cause instanceof TransientDataAccessResourceException
                    || cause instanceof RecoverableDataAccessException) {
                return true;
            }
        }
        return false;
    }

}
