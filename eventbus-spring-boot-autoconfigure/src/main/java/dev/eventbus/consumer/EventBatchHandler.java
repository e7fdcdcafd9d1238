package dev.eventbus.consumer;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import dev.eventbus.transport.BatchOutcome;
import dev.eventbus.transport.DeadLetterReplayer;
import dev.eventbus.transport.DeadLetterSink;
import dev.eventbus.transport.InboundBatchHandler;
import dev.eventbus.transport.InboundMessage;
import dev.eventbus.wire.CloudEventAttributes;
import io.github.resilience4j.retry.Retry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.transaction.support.TransactionOperations;

/**
 * Handles the messages of one {@link EventHandlerEndpoint}, a batch at a time, for every
 * transport. The messages of a batch are handled together in one database transaction: their
 * event ids are recorded in the processed-event table, and the group's handlers are called in
 * message order for the events not recorded before; a redelivered event is skipped before its
 * data is read.
 * <p>
 * When that transaction fails, it is rolled back and each message of the batch is handled again
 * in a transaction of its own, at once: the failure is attributed to the message that fails alone,
 * also when it surfaced only at commit. Only that message is retried with back-off
 * ({@link HandlerRetry}; its invocation in the batch counts as its first attempt when no other
 * handler ran before it in that transaction, or when its failure is retried and is not the
 * timeout) and, once given up, handed to the transport's {@link DeadLetterSink}. An
 * {@link Error} a handler throws is such a failure too ({@link HandlerErrorException}). A message
 * that is not a CloudEvent, or of a version no handler of the group accepts, is dead-lettered at
 * once; a dead letter another group replayed is skipped as {@code ignored}. When the database
 * cannot be reached, nothing is given up: the transport delivers the rest again later.
 */
public class EventBatchHandler implements InboundBatchHandler {

    private static final String UNKNOWN_TYPE = "unknown";

    private final EventHandlerEndpoint endpoint;

    private final CloudEventDecoder decoder;

    private final ProcessedEventRepository processedEvents;

    private final TransactionOperations transaction;

    private final Retry retry;

    private final DeadLetterSink deadLetters;

    private final ConsumerObserver observer;

    private final Clock clock;

    private final HandlerInvoker invoker;

    private final HandlerTimeout timeout;

    private final Map<String, Map<Integer, Map<Class<?>, List<EventHandlerMethod>>>> handlersByTypeAndVersion;

    private final Predicate<String> registeredTypes;

    /**
     * Creates a handler.
     * @param endpoint the group, topic and handlers served
     * @param decoder decodes messages
     * @param processedEvents the processed-event table
     * @param transaction the transactions the handlers' writes join, with the group's timeout
     * @param timeout interrupts a handler transaction that runs longer than the group's timeout
     * @param retry repeats failed attempts of a message handled alone
     * @param deadLetters keeps the messages given up
     * @param observer told about outcomes
     * @param clock stamps processed ids
     * @param observationRegistry observes each message, continuing the trace of its publisher
     * @param registeredTypes tells the event types of this application, which the observer is told
     * by name, from foreign ones, which it is told as {@code unknown}
     */
    public EventBatchHandler(EventHandlerEndpoint endpoint, CloudEventDecoder decoder,
            ProcessedEventRepository processedEvents, TransactionOperations transaction, HandlerTimeout timeout,
            Retry retry, DeadLetterSink deadLetters, ConsumerObserver observer, Clock clock,
            ObservationRegistry observationRegistry, Predicate<String> registeredTypes) {
        this.endpoint = endpoint;
        this.decoder = decoder;
        this.processedEvents = processedEvents;
        this.transaction = transaction;
        this.timeout = timeout;
        this.retry = retry;
        this.deadLetters = deadLetters;
        this.observer = observer;
        this.clock = clock;
        this.invoker = new HandlerInvoker(endpoint.group(), decoder, observer, observationRegistry);
        this.handlersByTypeAndVersion = handlersByTypeAndVersion(endpoint);
        this.registeredTypes = registeredTypes;
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
    public BatchOutcome handle(List<? extends InboundMessage> messages) {
        DeadLetters deadLettered = new DeadLetters();
        BatchOutcome outcome;
        try {
            outcome = handle(messages, deadLettered);
        }
        catch (RuntimeException ex) {
            flushQuietly(ex);
            throw ex;
        }
        catch (Error error) {
            IllegalStateException failure = new IllegalStateException("Handling a batch of group "
                    + this.endpoint.group() + " in " + this.endpoint.topic() + " failed with " + error, error);
            flushQuietly(failure);
            throw failure;
        }
        if (deadLettered.first < 0) {
            return outcome;
        }
        try {
            this.deadLetters.flush();
        }
        catch (RuntimeException ex) {
            return new BatchOutcome(Math.min(deadLettered.first, outcome.completed()), ex);
        }
        deadLettered.counted.forEach((deadLetter) -> report(deadLetter.message(), deadLetter.type(),
                ConsumerOutcome.DEAD_LETTERED, deadLetter.cause()));
        return outcome;
    }

    private void flushQuietly(RuntimeException failure) {
        try {
            this.deadLetters.flush();
        }
        catch (RuntimeException ex) {
            failure.addSuppressed(ex);
        }
    }

    private BatchOutcome handle(List<? extends InboundMessage> messages, DeadLetters deadLettered) {
        int from = 0;
        while (from < messages.size()) {
            Together together = handleTogether(messages, from);
            if (together.failure() != null) {
                return DatabaseFailures.isUnavailable(together.failure()) ? new BatchOutcome(from, together.failure())
                        : handleEachAlone(messages, from, together, deadLettered);
            }
            if (together.to() < messages.size()) {
                Exception redelivery = deadLetter(messages, together.to(), together.undeliverable(), 1,
                        deadLettered);
                if (redelivery != null) {
                    return new BatchOutcome(together.to(), redelivery);
                }
            }
            from = together.to() + 1;
        }
        return BatchOutcome.completed(messages.size());
    }

    /**
     * Handles messages from {@code from} in one transaction, up to the first that cannot be
     * delivered to a handler at all.
     */
    private Together handleTogether(List<? extends InboundMessage> messages, int from) {
        List<Delivery> deliveries = new ArrayList<>(messages.size() - from);
        RuntimeException undeliverable = null;
        for (int index = from; index < messages.size() && undeliverable == null; index++) {
            try {
                deliveries.add(prepare(index, messages.get(index)));
            }
            catch (RuntimeException ex) {
                undeliverable = ex;
            }
        }
        int to = from + deliveries.size();
        if (deliveries.isEmpty()) {
            return new Together(to, undeliverable, -1, false, null);
        }
        List<UUID> ids = deliveries.stream().filter(Delivery::hasHandlers).map(Delivery::id).toList();
        int[] current = { -1 };
        int[] firstInvoked = { -1 };
        List<ConsumerOutcome> outcomes;
        try {
            outcomes = this.timeout.call(() -> this.transaction.execute((status) -> {
                Set<UUID> firstSeen = ids.isEmpty() ? Set.of()
                        : this.processedEvents.markProcessed(this.endpoint.group(), ids, this.clock.instant());
                List<ConsumerOutcome> handled = new ArrayList<>(deliveries.size());
                for (Delivery delivery : deliveries) {
                    current[0] = delivery.index();
                    if (firstInvoked[0] < 0 && delivery.hasHandlers() && firstSeen.contains(delivery.id())) {
                        firstInvoked[0] = delivery.index();
                    }
                    handled.add(handle(delivery, firstSeen));
                }
                current[0] = -1;
                return handled;
            }));
        }
        catch (Exception ex) {
            return new Together(to, null, current[0], current[0] >= 0 && current[0] == firstInvoked[0],
                    HandlerInvoker.unwrap(ex));
        }
        for (int i = 0; outcomes != null && i < deliveries.size(); i++) {
            Delivery delivery = deliveries.get(i);
            report(messages.get(delivery.index()), tag(delivery.type()), outcomes.get(i), null);
        }
        return new Together(to, undeliverable, -1, false, null);
    }

    private ConsumerOutcome handle(Delivery delivery, Set<UUID> firstSeen) {
        if (!delivery.hasHandlers()) {
            return ConsumerOutcome.IGNORED;
        }
        if (!firstSeen.remove(delivery.id())) {
            return ConsumerOutcome.DUPLICATE;
        }
        this.invoker.invokeObserved(delivery.event(), delivery.event().metadata(), delivery.handlers());
        return ConsumerOutcome.PROCESSED;
    }

    private BatchOutcome handleEachAlone(List<? extends InboundMessage> messages, int from, Together together,
            DeadLetters deadLettered) {
        for (int index = from; index < messages.size(); index++) {
            Exception earlierFailure = (index == together.failedIndex() && countsAsAttempt(together))
                    ? together.failure() : null;
            Exception redelivery = handleAlone(messages, index, earlierFailure, deadLettered);
            if (redelivery != null) {
                return new BatchOutcome(index, redelivery);
            }
        }
        return BatchOutcome.completed(messages.size());
    }

    /**
     * Handles one message in a transaction of its own, retrying with back-off after a failed
     * attempt, and dead-letters it once given up.
     * @param earlierFailure the failure of its handler in the batch, which counts as the first
     * attempt, or {@code null}
     * @return {@code null} once the message is done, else why it must be delivered again
     */
    private @Nullable Exception handleAlone(List<? extends InboundMessage> messages, int index,
            @Nullable Exception earlierFailure, DeadLetters deadLettered) {
        InboundMessage message = messages.get(index);
        Delivery delivery;
        try {
            delivery = prepare(-1, message);
        }
        catch (RuntimeException ex) {
            return deadLetter(messages, index, ex, 1, deadLettered);
        }
        if (!delivery.hasHandlers()) {
            report(message, tag(delivery.type()), ConsumerOutcome.IGNORED, null);
            return null;
        }
        ReceivedEventMetadata metadata = delivery.event().metadata();
        Retry.Context<Boolean> retryContext = this.retry.context();
        int attempt = 1;
        Exception failure = earlierFailure;
        Observation observation = this.invoker.observation(metadata).start();
        try (Observation.Scope scope = observation.openScope()) {
            while (true) {
                if (failure != null) {
                    try {
                        retryContext.onError(failure);
                    }
                    catch (Exception givenUp) {
                        observation.error(givenUp);
                        return Thread.currentThread().isInterrupted() ? givenUp
                                : deadLetter(messages, index, givenUp, attempt, deadLettered);
                    }
                    attempt++;
                    report(message, metadata.type(), ConsumerOutcome.RETRIED, failure);
                }
                try {
                    boolean processed = handleInOwnTransaction(delivery, metadata.withAttempt(attempt));
                    retryContext.onComplete();
                    report(message, metadata.type(), processed ? ConsumerOutcome.PROCESSED : ConsumerOutcome.DUPLICATE,
                            null);
                    return null;
                }
                catch (Exception ex) {
                    if (DatabaseFailures.isUnavailable(ex)) {
                        observation.error(ex);
                        return ex;
                    }
                    failure = ex;
                }
            }
        }
        finally {
            observation.stop();
        }
    }

    /**
     * Whether the failure of a message's handler in its batch counts as its first attempt. It
     * always does when no other handler ran before it in the batch's transaction: the invocation
     * was its own, whatever failed it, the timeout included. After other handlers ran, it counts
     * only when it would be retried and is not the batch's timeout, so that a message whose
     * handler surfaced a neighbour's failure, or ran when the batch's time was used up by its
     * neighbours, has an attempt of its own.
     */
    private boolean countsAsAttempt(Together batch) {
        Exception failure = batch.failure();
        return failure != null && (batch.failedFirst() || (!(failure instanceof HandlerTimeoutException)
                && this.retry.getRetryConfig().getMaxAttempts() > 1
                && this.retry.getRetryConfig().getExceptionPredicate().test(failure)));
    }

    private boolean handleInOwnTransaction(Delivery delivery, ReceivedEventMetadata metadata) throws Exception {
        try {
            Boolean processed = this.timeout.call(() -> this.transaction.execute((status) -> {
                Set<UUID> firstSeen = this.processedEvents.markProcessed(this.endpoint.group(),
                        List.of(metadata.id()), this.clock.instant());
                if (firstSeen.isEmpty()) {
                    return false;
                }
                this.invoker.invoke(delivery.event(), metadata, delivery.handlers());
                return true;
            }));
            return Boolean.TRUE.equals(processed);
        }
        catch (RuntimeException ex) {
            throw HandlerInvoker.unwrap(ex);
        }
    }

    /**
     * Hands a message that was given up to the dead-letter sink; it is counted once the sink has
     * flushed it.
     * @return {@code null} once the sink took it, else why the message must be delivered again
     */
    private @Nullable Exception deadLetter(List<? extends InboundMessage> messages, int index, Exception cause,
            int attempts, DeadLetters deadLettered) {
        InboundMessage message = messages.get(index);
        try {
            this.deadLetters.deadLetter(this.endpoint.group(), message, cause, attempts);
        }
        catch (RuntimeException ex) {
            return ex;
        }
        String type = message.attribute(CloudEventAttributes.TYPE);
        deadLettered.add(index, new DeadLetter(message, (type != null) ? tag(type) : UNKNOWN_TYPE, cause));
        return null;
    }

    private void report(InboundMessage message, String type, ConsumerOutcome outcome, @Nullable Exception cause) {
        this.observer.outcome(this.endpoint.group(), type, outcome);
        this.observer.messageOutcome(this.endpoint.group(), message, outcome, cause);
    }

    /**
     * The type as the observer is told it: its name for a type of this application, else
     * {@value #UNKNOWN_TYPE}, so that a foreign producer cannot add meters without bound.
     */
    private String tag(String type) {
        return this.registeredTypes.test(type) ? type : UNKNOWN_TYPE;
    }

    /**
     * Decodes a message and finds its handlers; a dead letter another group replayed is neither
     * decoded nor handled.
     * @throws MalformedEventException if it is not a valid CloudEvent
     * @throws UnsupportedEventVersionException if the group knows its type but no handler accepts
     * its version
     */
    private Delivery prepare(int index, InboundMessage message) {
        if (isReplayForAnotherGroup(message)) {
            String type = message.attribute(CloudEventAttributes.TYPE);
            return new Delivery(index, null, (type != null) ? type : UNKNOWN_TYPE, Map.of());
        }
        ReceivedEvent received = this.decoder.decode(message);
        ReceivedEventMetadata metadata = received.metadata();
        Map<Integer, Map<Class<?>, List<EventHandlerMethod>>> versions = this.handlersByTypeAndVersion
            .getOrDefault(metadata.type(), Map.of());
        Map<Class<?>, List<EventHandlerMethod>> handlers = versions.get(metadata.version());
        if (handlers == null && !versions.isEmpty()) {
            throw new UnsupportedEventVersionException(metadata, this.endpoint.group(), versions.keySet());
        }
        return new Delivery(index, received, metadata.type(), (handlers != null) ? handlers : Map.of());
    }

    /**
     * Whether the message is a dead letter another group replayed, which only that group handles.
     */
    private boolean isReplayForAnotherGroup(InboundMessage message) {
        String group = message.headers().get(DeadLetterReplayer.GROUP_HEADER);
        return group != null && !group.equals(this.endpoint.group());
    }

    /**
     * The messages of one batch handed to the dead-letter sink, not yet flushed.
     */
    private static final class DeadLetters {

        private int first = -1;

        private final List<DeadLetter> counted = new ArrayList<>();

        void add(int index, DeadLetter deadLetter) {
            if (this.first < 0) {
                this.first = index;
            }
            this.counted.add(deadLetter);
        }

    }

    /**
     * A message handed to the dead-letter sink, counted under its type once flushed.
     */
    private record DeadLetter(InboundMessage message, String type, Exception cause) {

    }

    /**
     * A message of the batch, decoded unless it is skipped, and the handlers it goes to.
     */
    private record Delivery(int index, @Nullable ReceivedEvent received, String type,
            Map<Class<?>, List<EventHandlerMethod>> handlers) {

        /**
         * The decoded event, which every delivery with handlers has.
         */
        ReceivedEvent event() {
            return Objects.requireNonNull(this.received);
        }

        UUID id() {
            return event().metadata().id();
        }

        boolean hasHandlers() {
            return !this.handlers.isEmpty();
        }

    }

    /**
     * The result of handling messages together: committed up to {@code to} (exclusive) unless
     * {@code failure} is set, then failed in the handler of {@code failedIndex} (or at commit, -1),
     * which was the first handler invoked if {@code failedFirst}; the message at {@code to}, if
     * any, could not be delivered.
     */
    private record Together(int to, @Nullable RuntimeException undeliverable, int failedIndex, boolean failedFirst,
            @Nullable Exception failure) {

    }

}
