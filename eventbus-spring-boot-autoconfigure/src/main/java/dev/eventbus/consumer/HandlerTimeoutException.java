package dev.eventbus.consumer;

import java.time.Duration;

/**
 * A handler invocation, with its transaction, ran longer than {@code eventbus.consumer.handler-timeout}
 * (or its group's); it was rolled back and is retried or dead-lettered like any failure.
 */
public class HandlerTimeoutException extends RuntimeException {

    /**
     * Creates the exception.
     * @param timeout the timeout that passed
     * @param cause how the interrupted handler failed
     */
    public HandlerTimeoutException(Duration timeout, Throwable cause) {
        super("Handler did not finish within " + timeout + " and was rolled back: " + cause.getMessage(), cause);
    }

}
