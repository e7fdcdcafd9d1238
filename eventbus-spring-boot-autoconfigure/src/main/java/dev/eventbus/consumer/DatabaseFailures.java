package dev.eventbus.consumer;

import java.sql.SQLException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells failures of an unreachable database from failures of a handler.
 */
final class DatabaseFailures {

    private static final SQLExceptionTranslator TRANSLATOR = new SQLExceptionSubclassTranslator();

    private DatabaseFailures() {
    }

    /**
     * Whether a failure, or one of its causes, means the database cannot be reached: Spring's
     * connection and transaction-start failures, a driver's {@link SQLException} that Spring's
     * translation makes one of those (a failed commit or rollback carries it untranslated), and a
     * failed rollback whose replaced failure is one of these: a rollback that fails because the
     * connection died replaces the failure that started it, often the connection failure itself.
     * @param exception the failure
     * @return {@code true} for failures the database's return can cure
     */
    static boolean isUnavailable(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (isResourceFailure(cause)
                    || (cause instanceof SQLException sql && isResourceFailure(TRANSLATOR.translate("", null, sql)))) {
                return true;
            }
            if (cause instanceof TransactionSystemException failed && failed.getApplicationException() != null
                    && isUnavailable(failed.getApplicationException())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isResourceFailure(Throwable exception) {
        return exception instanceof CannotCreateTransactionException
                || exception instanceof DataAccessResourceFailureException
                || exception instanceof TransientDataAccessResourceException
                || exception instanceof RecoverableDataAccessException;
    }

}
