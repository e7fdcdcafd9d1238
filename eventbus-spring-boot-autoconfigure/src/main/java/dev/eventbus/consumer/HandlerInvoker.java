package dev.eventbus.consumer;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;

/**
 * Calls the handler methods of one consumer group for an event: reads the event data once per
 * event class, times each method, and observes a handling as one span that continues the trace of
 * the publisher. Whatever a handler throws, an {@link Error} included, leaves as a
 * {@link RuntimeException}.
 */
final class HandlerInvoker {

    private final String group;

    private final CloudEventDecoder decoder;

    private final ConsumerObserver observer;

    private final ObservationRegistry observationRegistry;

    HandlerInvoker(String group, CloudEventDecoder decoder, ConsumerObserver observer,
            ObservationRegistry observationRegistry) {
        this.group = group;
        this.decoder = decoder;
        this.observer = observer;
        this.observationRegistry = observationRegistry;
    }

    /**
     * Calls the handlers in an observation of their own.
     * @throws RuntimeException what a handler throws; checked exceptions wrapped, see {@link #unwrap}
     */
    void invokeObserved(ReceivedEvent received, ReceivedEventMetadata metadata,
            Map<Class<?>, List<EventHandlerMethod>> handlers) {
        Observation observation = observation(metadata).start();
        try (Observation.Scope scope = observation.openScope()) {
            invoke(received, metadata, handlers);
        }
        catch (RuntimeException ex) {
            observation.error(ex);
            throw ex;
        }
        finally {
            observation.stop();
        }
    }

    /**
     * Calls the handlers in the current observation.
     * @throws RuntimeException what a handler throws; checked exceptions wrapped, see {@link #unwrap};
     * an {@link Error} as {@link HandlerErrorException}
     */
    void invoke(ReceivedEvent received, ReceivedEventMetadata metadata,
            Map<Class<?>, List<EventHandlerMethod>> handlers) {
        try {
            handlers.forEach((eventClass, methods) -> {
                Object event = this.decoder.read(received, eventClass);
                methods.forEach((method) -> invoke(method, event, metadata));
            });
        }
        catch (Error error) {
            throw new HandlerErrorException(error);
        }
    }

    /**
     * A not yet started observation of one handling, or a no-op one without tracing.
     */
    Observation observation(ReceivedEventMetadata metadata) {
        if (this.observationRegistry.isNoop()) {
            return Observation.NOOP;
        }
        ReceiverContext<Map<String, String>> context = new ReceiverContext<>(Map::get);
        context.setCarrier(metadata.headers());
        return Observation.createNotStarted("eventbus.handle", () -> context, this.observationRegistry)
            .contextualName(metadata.type() + " handle")
            .lowCardinalityKeyValue("group", this.group)
            .lowCardinalityKeyValue("type", metadata.type());
    }

    private void invoke(EventHandlerMethod method, Object event, ReceivedEventMetadata metadata) {
        long start = System.nanoTime();
        try {
            method.invoke(event, metadata);
        }
        catch (RuntimeException ex) {
            throw ex;
        }
        catch (Exception ex) {
            throw new HandlerFailedException(ex);
        }
        finally {
            this.observer.handlerFinished(this.group, metadata.type(), Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /**
     * The exception a handler threw, from one that carried it through a transaction template.
     * @param ex the exception caught
     * @return the handler's checked exception, or {@code ex} itself
     */
    static Exception unwrap(Exception ex) {
        return (ex instanceof HandlerFailedException failed) ? failed.getCause() : ex;
    }

    /**
     * Carries a checked exception of a handler through the transaction template.
     */
    private static final class HandlerFailedException extends RuntimeException {

        HandlerFailedException(Exception cause) {
            super(cause.getMessage(), cause);
        }

        @Override
        public synchronized Exception getCause() {
            return (Exception) super.getCause();
        }

    }

}
