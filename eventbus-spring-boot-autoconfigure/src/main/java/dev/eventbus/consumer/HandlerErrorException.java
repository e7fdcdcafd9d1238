package dev.eventbus.consumer;

/**
 * A {@link Error} thrown while an event was handled (a {@code StackOverflowError}, an
 * {@code AssertionError}, a {@code LinkageError} after a bad deployment, an
 * {@code OutOfMemoryError}), carried as an exception so that it is rolled back, retried and
 * dead-lettered like any handler failure, and no consuming thread or container dies of it.
 * The error is the cause; the message starts with its class name.
 *
 * @since 0.2.0
 */
public class HandlerErrorException extends RuntimeException {

    /**
     * Creates the exception.
     * @param error what the handler threw
     */
    public HandlerErrorException(Error error) {
        super(error.toString(), error);
    }

    @Override
    public synchronized Error getCause() {
        return (Error) super.getCause();
    }

}
