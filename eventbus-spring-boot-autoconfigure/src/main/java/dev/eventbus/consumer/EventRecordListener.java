package dev.eventbus.consumer;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.retry.Retry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.listener.MessageListener;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Handles the records of one {@link EventHandlerEndpoint}: decodes each record, and in one database
 * transaction records its event id in the processed-event table, reads its data and calls the
 * group's handlers. A redelivered event finds its id recorded and is skipped before its data is
 * read. Failures are retried with
 * {@link HandlerRetry}; what still fails is thrown to the container's error handler, which sends
 * it to the dead-letter topic.
 */
public class EventRecordListener implements MessageListener<byte[], byte[]> {

    /** Header added to a record that failed, with the number of attempts made. */
    public static final String ATTEMPTS_HEADER = "eventbus-attempts";

    private final EventHandlerEndpoint endpoint;

    private final CloudEventRecordDecoder decoder;

    private final ProcessedEventRepository processedEvents;

    private final TransactionOperations transaction;

    private final Retry retry;

    private final ConsumerObserver observer;

    private final Clock clock;

    private final ObservationRegistry observationRegistry;

    private final Map<String, Map<Class<?>, List<EventHandlerMethod>>> handlersByTypeAndVersion =
            new ConcurrentHashMap<>();

    /**
     * Creates a listener.
     * @param endpoint the group, topic and handlers served
     * @param decoder decodes records
     * @param processedEvents the processed-event table
     * @param transaction the transactions the handlers' writes join
     * @param retry repeats failed attempts
     * @param observer told about outcomes
     * @param clock stamps processed ids
     * @param observationRegistry observes each record, continuing the trace of its publisher
     */
    public EventRecordListener(EventHandlerEndpoint endpoint, CloudEventRecordDecoder decoder,
            ProcessedEventRepository processedEvents, TransactionOperations transaction, Retry retry,
            ConsumerObserver observer, Clock clock, ObservationRegistry observationRegistry) {
        this.endpoint = endpoint;
        this.decoder = decoder;
        this.processedEvents = processedEvents;
        this.transaction = transaction;
        this.retry = retry;
        this.observer = observer;
        this.clock = clock;
        this.observationRegistry = observationRegistry;
    }

    @Override
    public void onMessage(ConsumerRecord<byte[], byte[]> record) {
        AtomicInteger attempts = new AtomicInteger();
        try {
            handle(record, attempts);
        }
        catch (Exception ex) {
            record.headers().add(ATTEMPTS_HEADER,
                    Integer.toString(Math.max(1, attempts.get())).getBytes(StandardCharsets.UTF_8));
            throw (ex instanceof RuntimeException runtime) ? runtime : new HandlerFailedException(ex);
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record, AtomicInteger attempts) throws Exception {
        ReceivedEvent received = this.decoder.decode(record);
        ReceivedEventMetadata metadata = received.metadata();
        Map<Class<?>, List<EventHandlerMethod>> handlers = handlersFor(metadata);
        if (handlers.isEmpty()) {
            this.observer.outcome(this.endpoint.group(), metadata.type(), ConsumerOutcome.IGNORED);
            return;
        }
        Observation observation = observation(metadata).start();
        boolean processed;
        try (Observation.Scope scope = observation.openScope()) {
            processed = this.retry.executeCallable(() -> {
                int attempt = attempts.incrementAndGet();
                if (attempt > 1) {
                    this.observer.outcome(this.endpoint.group(), metadata.type(), ConsumerOutcome.RETRIED);
                }
                return handleOnce(received, metadata.withAttempt(attempt), handlers);
            });
        }
        catch (Exception ex) {
            observation.error(ex);
            throw ex;
        }
        finally {
            observation.stop();
        }
        this.observer.outcome(this.endpoint.group(), metadata.type(),
                processed ? ConsumerOutcome.PROCESSED : ConsumerOutcome.DUPLICATE);
    }

    /**
     * The handlers of a type and version, looked up once per known pair. Unknown pairs come from
     * the input and are not remembered, so they cannot grow the cache.
     */
    private Map<Class<?>, List<EventHandlerMethod>> handlersFor(ReceivedEventMetadata metadata) {
        String typeAndVersion = metadata.type() + "/" + metadata.version();
        Map<Class<?>, List<EventHandlerMethod>> handlers = this.handlersByTypeAndVersion.get(typeAndVersion);
        if (handlers == null) {
            handlers = this.endpoint.handlersFor(metadata.type(), metadata.version());
            if (!handlers.isEmpty()) {
                this.handlersByTypeAndVersion.put(typeAndVersion, handlers);
            }
        }
        return handlers;
    }

    private Observation observation(ReceivedEventMetadata metadata) {
        ReceiverContext<Map<String, String>> context = new ReceiverContext<>(Map::get);
        context.setCarrier(metadata.headers());
        return Observation.createNotStarted("eventbus.handle", () -> context, this.observationRegistry)
            .contextualName(metadata.type() + " handle")
            .lowCardinalityKeyValue("group", this.endpoint.group())
            .lowCardinalityKeyValue("type", metadata.type());
    }

    private boolean handleOnce(ReceivedEvent received, ReceivedEventMetadata metadata,
            Map<Class<?>, List<EventHandlerMethod>> handlers) throws Exception {
        try {
            Boolean processed = this.transaction.execute((status) -> {
                if (!this.processedEvents.markProcessed(this.endpoint.group(), metadata.id(), this.clock.instant())) {
                    return false;
                }
                handlers.forEach((eventClass, methods) -> {
                    Object event = this.decoder.read(received, eventClass);
                    methods.forEach((method) -> invoke(method, event, metadata));
                });
                return true;
            });
            return Boolean.TRUE.equals(processed);
        }
        catch (HandlerFailedException ex) {
            throw ex.getCause();
        }
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
            this.observer.handlerFinished(this.endpoint.group(), metadata.type(),
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /**
     * Carries a checked exception of a handler through the transaction template.
     */
    static final class HandlerFailedException extends RuntimeException {

        HandlerFailedException(Exception cause) {
            super(cause.getMessage(), cause);
        }

        @Override
        public synchronized Exception getCause() {
            return (Exception) super.getCause();
        }

    }

}
