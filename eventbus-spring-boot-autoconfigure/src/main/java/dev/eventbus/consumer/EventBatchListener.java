package dev.eventbus.consumer;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.github.resilience4j.retry.Retry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Handles the records of one {@link EventHandlerEndpoint}, a poll batch at a time. The records of
 * a batch are handled together in one database transaction: their event ids are recorded in the
 * processed-event table, and the group's handlers are called in record order for the events not
 * recorded before; a redelivered event is skipped before its data is read.
 * <p>
 * When a record fails, that transaction is rolled back and the batch is taken apart: the records
 * before the failed one are handled together again, the failed one alone with
 * {@link HandlerRetry} (its failed attempt counts as the first), and the rest together. A record
 * that still fails is reported to the container's error handler by its index, which commits the
 * records before it, sends it to the dead-letter topic and redelivers the rest.
 */
public class EventBatchListener implements BatchMessageListener<byte[], byte[]> {

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

    private final Map<String, Map<Integer, Map<Class<?>, List<EventHandlerMethod>>>> handlersByTypeAndVersion;

    /**
     * Creates a listener.
     * @param endpoint the group, topic and handlers served
     * @param decoder decodes records
     * @param processedEvents the processed-event table
     * @param transaction the transactions the handlers' writes join
     * @param retry repeats failed attempts of a record handled alone
     * @param observer told about outcomes
     * @param clock stamps processed ids
     * @param observationRegistry observes each record, continuing the trace of its publisher
     */
    public EventBatchListener(EventHandlerEndpoint endpoint, CloudEventRecordDecoder decoder,
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
        this.handlersByTypeAndVersion = handlersByTypeAndVersion(endpoint);
    }

    private static Map<String, Map<Integer, Map<Class<?>, List<EventHandlerMethod>>>> handlersByTypeAndVersion(
            EventHandlerEndpoint endpoint) {
        Map<String, Map<Integer, Map<Class<?>, List<EventHandlerMethod>>>> handlers = new HashMap<>();
        for (EventHandlerEndpoint.BoundHandler handler : endpoint.handlers()) {
            String type = handler.eventType().name();
            int version = handler.eventType().version();
            handlers.computeIfAbsent(type, (key) -> new HashMap<>())
                .computeIfAbsent(version, (key) -> endpoint.handlersFor(type, version));
        }
        return handlers;
    }

    @Override
    public void onMessage(List<ConsumerRecord<byte[], byte[]>> records) {
        int from = 0;
        @Nullable Failure failure = null;
        while (from < records.size()) {
            if (failure != null && failure.index() == from) {
                handleAlone(records, from, failure.exception());
                failure = null;
                from++;
            }
            else {
                int to = (failure != null) ? failure.index() : records.size();
                Failure failed = handleTogether(records, from, to);
                if (failed == null) {
                    from = to;
                }
                else {
                    failure = failed;
                }
            }
        }
    }

    /**
     * Handles records in one transaction.
     * @return {@code null} once committed, else the first record that failed; nothing is committed then
     */
    private @Nullable Failure handleTogether(List<ConsumerRecord<byte[], byte[]>> records, int from, int to) {
        List<Delivery> deliveries = new ArrayList<>(to - from);
        for (int index = from; index < to; index++) {
            try {
                ReceivedEvent received = this.decoder.decode(records.get(index));
                deliveries.add(new Delivery(index, received, handlersFor(received.metadata())));
            }
            catch (RuntimeException ex) {
                return new Failure(index, ex);
            }
        }
        List<UUID> ids = deliveries.stream().filter(Delivery::hasHandlers).map(Delivery::id).toList();
        int[] current = { from };
        @Nullable List<ConsumerOutcome> outcomes;
        try {
            outcomes = this.transaction.execute((status) -> {
                Set<UUID> firstSeen = ids.isEmpty() ? Set.of()
                        : this.processedEvents.markProcessed(this.endpoint.group(), ids, this.clock.instant());
                List<ConsumerOutcome> handled = new ArrayList<>(deliveries.size());
                for (Delivery delivery : deliveries) {
                    current[0] = delivery.index();
                    handled.add(handle(delivery, firstSeen));
                }
                current[0] = from;
                return handled;
            });
        }
        catch (Exception ex) {
            return new Failure(current[0], unwrap(ex));
        }
        for (int i = 0; outcomes != null && i < deliveries.size(); i++) {
            this.observer.outcome(this.endpoint.group(), deliveries.get(i).received().metadata().type(),
                    outcomes.get(i));
        }
        return null;
    }

    private ConsumerOutcome handle(Delivery delivery, Set<UUID> firstSeen) {
        if (!delivery.hasHandlers()) {
            return ConsumerOutcome.IGNORED;
        }
        if (!firstSeen.remove(delivery.id())) {
            return ConsumerOutcome.DUPLICATE;
        }
        ReceivedEventMetadata metadata = delivery.received().metadata();
        Observation observation = observation(metadata).start();
        try (Observation.Scope scope = observation.openScope()) {
            invokeHandlers(delivery.received(), metadata, delivery.handlers());
        }
        catch (RuntimeException ex) {
            observation.error(ex);
            throw ex;
        }
        finally {
            observation.stop();
        }
        return ConsumerOutcome.PROCESSED;
    }

    /**
     * Handles one record in a transaction of its own, retrying after its failed first attempt.
     * @throws BatchListenerFailedException naming the record once it is given up
     */
    private void handleAlone(List<ConsumerRecord<byte[], byte[]>> records, int index, Exception firstFailure) {
        ConsumerRecord<byte[], byte[]> record = records.get(index);
        Retry.Context<Boolean> retryContext = this.retry.context();
        int attempts = 1;
        try {
            retryContext.onError(firstFailure);
            ReceivedEvent received = this.decoder.decode(record);
            ReceivedEventMetadata metadata = received.metadata();
            Map<Class<?>, List<EventHandlerMethod>> handlers = handlersFor(metadata);
            if (handlers.isEmpty()) {
                this.observer.outcome(this.endpoint.group(), metadata.type(), ConsumerOutcome.IGNORED);
                return;
            }
            Observation observation = observation(metadata).start();
            try (Observation.Scope scope = observation.openScope()) {
                while (true) {
                    attempts++;
                    this.observer.outcome(this.endpoint.group(), metadata.type(), ConsumerOutcome.RETRIED);
                    try {
                        boolean processed = handleInOwnTransaction(received, metadata.withAttempt(attempts), handlers);
                        retryContext.onComplete();
                        this.observer.outcome(this.endpoint.group(), metadata.type(),
                                processed ? ConsumerOutcome.PROCESSED : ConsumerOutcome.DUPLICATE);
                        return;
                    }
                    catch (Exception ex) {
                        retryContext.onError(ex);
                    }
                }
            }
            catch (Exception ex) {
                observation.error(ex);
                throw ex;
            }
            finally {
                observation.stop();
            }
        }
        catch (Exception ex) {
            record.headers().add(ATTEMPTS_HEADER, Integer.toString(attempts).getBytes(StandardCharsets.UTF_8));
            throw new BatchListenerFailedException(ex.getMessage(), ex, index);
        }
    }

    private boolean handleInOwnTransaction(ReceivedEvent received, ReceivedEventMetadata metadata,
            Map<Class<?>, List<EventHandlerMethod>> handlers) throws Exception {
        try {
            Boolean processed = this.transaction.execute((status) -> {
                Set<UUID> firstSeen = this.processedEvents.markProcessed(this.endpoint.group(),
                        List.of(metadata.id()), this.clock.instant());
                if (firstSeen.isEmpty()) {
                    return false;
                }
                invokeHandlers(received, metadata, handlers);
                return true;
            });
            return Boolean.TRUE.equals(processed);
        }
        catch (RuntimeException ex) {
            throw unwrap(ex);
        }
    }

    private Map<Class<?>, List<EventHandlerMethod>> handlersFor(ReceivedEventMetadata metadata) {
        return this.handlersByTypeAndVersion.getOrDefault(metadata.type(), Map.of())
            .getOrDefault(metadata.version(), Map.of());
    }

    private Observation observation(ReceivedEventMetadata metadata) {
        if (this.observationRegistry.isNoop()) {
            return Observation.NOOP;
        }
        ReceiverContext<Map<String, String>> context = new ReceiverContext<>(Map::get);
        context.setCarrier(metadata.headers());
        return Observation.createNotStarted("eventbus.handle", () -> context, this.observationRegistry)
            .contextualName(metadata.type() + " handle")
            .lowCardinalityKeyValue("group", this.endpoint.group())
            .lowCardinalityKeyValue("type", metadata.type());
    }

    private void invokeHandlers(ReceivedEvent received, ReceivedEventMetadata metadata,
            Map<Class<?>, List<EventHandlerMethod>> handlers) {
        handlers.forEach((eventClass, methods) -> {
            Object event = this.decoder.read(received, eventClass);
            methods.forEach((method) -> invoke(method, event, metadata));
        });
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

    private static Exception unwrap(Exception ex) {
        return (ex instanceof HandlerFailedException failed) ? failed.getCause() : ex;
    }

    /**
     * A decoded record of the batch and the handlers it goes to.
     */
    private record Delivery(int index, ReceivedEvent received, Map<Class<?>, List<EventHandlerMethod>> handlers) {

        UUID id() {
            return this.received.metadata().id();
        }

        boolean hasHandlers() {
            return !this.handlers.isEmpty();
        }

    }

    /**
     * The first record of a range that failed, by its index in the batch.
     */
    private record Failure(int index, Exception exception) {

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
