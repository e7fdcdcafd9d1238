package dev.eventbus.relay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import dev.eventbus.outbox.JdbcOutboxRepository;
import dev.eventbus.outbox.OutboxEvent;
import dev.eventbus.outbox.ParkedOutboxEvents;
import dev.eventbus.outbox.PendingOutboxEvent;
import dev.eventbus.transport.OutboxTransport;
import dev.eventbus.transport.SendOutcome;
import org.jspecify.annotations.Nullable;

import org.springframework.core.NestedExceptionUtils;

import org.springframework.transaction.support.TransactionOperations;

/**
 * One round of the relay, in one database transaction: lock some of the lanes at the head of the
 * backlog, send their oldest events through the transport, mark the acknowledged ones published
 * and park those the broker refused for good. The lane locks are
 * row locks taken with {@code SKIP LOCKED}, so concurrent instances work on different lanes, and
 * they end with the transaction, so an instance that dies releases its lanes at once. Rounds of the
 * same instance may run at the same time; they do not ask for the lanes one of them holds.
 */
public class RelayRound {

    private final JdbcOutboxRepository repository;

    private final TransactionOperations transaction;

    private final OutboxTransport transport;

    private final ParkedOutboxEvents parkedEvents;

    private final List<RelayObserver> observers;

    private final int batchSize;

    private final int maxLanes;

    private final boolean deleteWhenPublished;

    private final Clock clock;

    private final Set<Integer> lanesInRounds = ConcurrentHashMap.newKeySet();

    /**
     * Creates a round.
     * @param repository the outbox
     * @param transaction a read-committed transaction on the outbox's data source
     * @param transport sends events to the broker
     * @param parkedEvents parks the events the broker refuses for good
     * @param observers told about each published event and each failed round
     * @param batchSize the most events per round
     * @param maxLanes the most lanes one round locks, leaving the rest to other instances
     * @param deleteWhenPublished whether published rows are deleted at once instead of marked
     * @param clock the clock that stamps publication
     */
    public RelayRound(JdbcOutboxRepository repository, TransactionOperations transaction, OutboxTransport transport,
            ParkedOutboxEvents parkedEvents, List<RelayObserver> observers, int batchSize, int maxLanes, boolean deleteWhenPublished, Clock clock) {
        this.repository = repository;
        this.transaction = transaction;
        this.transport = transport;
        this.parkedEvents = parkedEvents;
        this.observers = List.copyOf(observers);
        this.batchSize = batchSize;
        this.maxLanes = maxLanes;
        this.deleteWhenPublished = deleteWhenPublished;
        this.clock = clock;
    }

    private int scanSize() {
        return 2 * this.batchSize;
    }

    /**
     * Picks up to {@code maxLanes} of the candidate lanes, starting at a random one, so that
     * concurrent instances mostly ask for different lanes.
     */
    private List<Integer> share(List<Integer> candidates) {
        if (candidates.size() <= this.maxLanes) {
            return candidates;
        }
        List<Integer> rotated = new ArrayList<>(candidates);
        Collections.rotate(rotated, ThreadLocalRandom.current().nextInt(rotated.size()));
        return rotated.subList(0, this.maxLanes);
    }

    /**
     * Runs one round.
     * @return what the round did, never {@code null}
     */
    public RoundResult run() {
        List<Integer> candidates = this.repository.lanesAtHead(scanSize())
            .stream()
            .filter((lane) -> !this.lanesInRounds.contains(lane))
            .toList();
        if (candidates.isEmpty()) {
            return RoundResult.IDLE;
        }
        List<Integer> locked = new ArrayList<>();
        Round round;
        try {
            round = this.transaction.execute((status) -> relay(candidates, locked));
        }
        finally {
            this.lanesInRounds.removeAll(locked);
        }
        if (round == null) {
            return RoundResult.IDLE;
        }
        observe(round);
        return new RoundResult(round.published().size(), !round.events().isEmpty(), round.failure());
    }

    private Round relay(List<Integer> candidates, List<Integer> locked) {
        List<Integer> lanes = this.repository.lockLanes(share(candidates));
        if (lanes.isEmpty()) {
            return Round.EMPTY;
        }
        locked.addAll(lanes);
        this.lanesInRounds.addAll(lanes);
        List<PendingOutboxEvent> events = this.repository.pendingEvents(lanes, scanSize(), this.batchSize);
        SendOutcome outcome = this.transport.send(events);
        List<PendingOutboxEvent> published = publishedInLaneOrder(events, outcome.acknowledged(),
                outcome.refused().keySet());
        List<Long> ids = published.stream().map(PendingOutboxEvent::id).toList();
        Instant now = this.clock.instant();
        if (this.deleteWhenPublished) {
            this.repository.delete(ids);
        }
        else {
            this.repository.markPublished(ids, now);
        }
        Map<Long, String> parked = new LinkedHashMap<>();
        outcome.refused().forEach((id, cause) -> parked.put(id, describe(cause)));
        this.parkedEvents.park(parked, now);
        Throwable failure = outcome.failure();
        if (failure == null && published.size() + parked.size() < events.size()) {
            failure = new IllegalStateException("The transport answered for " + (published.size() + parked.size())
                    + " of " + events.size() + " events without reporting a failure");
        }
        return new Round(events, published, outcome.refused(), failure);
    }

    /**
     * The acknowledged events that are published for good: in each lane, those before its first
     * event that was neither acknowledged nor refused. A later event of a lane stays pending with
     * the earlier one, so the lane's order holds when both are sent again; a refused event is
     * parked and does not hold its lane up.
     */
    static List<PendingOutboxEvent> publishedInLaneOrder(List<PendingOutboxEvent> events, List<Long> acknowledged,
            Set<Long> refused) {
        if (acknowledged.size() == events.size()) {
            return events;
        }
        Set<Long> acknowledgedIds = new HashSet<>(acknowledged);
        Set<Integer> stoppedLanes = new HashSet<>();
        List<PendingOutboxEvent> published = new ArrayList<>(acknowledged.size());
        for (PendingOutboxEvent event : events) {
            int lane = event.event().lane();
            if (stoppedLanes.contains(lane) || refused.contains(event.id())) {
                continue;
            }
            if (acknowledgedIds.contains(event.id())) {
                published.add(event);
            }
            else {
                stoppedLanes.add(lane);
            }
        }
        return published;
    }

    private void observe(Round round) {
        if (this.observers.isEmpty()) {
            return;
        }
        Instant now = this.clock.instant();
        for (PendingOutboxEvent event : round.published()) {
            OutboxEvent outboxEvent = event.event();
            Duration sinceOccurred = Duration.between(outboxEvent.occurredAt(), now);
            this.observers.forEach((observer) -> observer.published(outboxEvent.topic(), sinceOccurred));
        }
        for (PendingOutboxEvent event : round.events()) {
            Throwable refusal = round.refused().get(event.id());
            if (refusal != null) {
                Throwable cause = NestedExceptionUtils.getMostSpecificCause(refusal);
                this.observers.forEach((observer) -> observer.parked(event.event().topic(), cause));
            }
        }
        if (round.failure() != null) {
            Throwable cause = NestedExceptionUtils.getMostSpecificCause(round.failure());
            String topic = round.firstUnpublished().event().topic();
            this.observers.forEach((observer) -> observer.failed(topic, cause));
        }
    }

    private static String describe(Throwable refusal) {
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(refusal);
        return cause.getClass().getName() + ": " + cause.getMessage();
    }

    /**
     * What one round sent and what became of it.
     */
    private record Round(List<PendingOutboxEvent> events, List<PendingOutboxEvent> published,
            Map<Long, Throwable> refused, @Nullable Throwable failure) {

        static final Round EMPTY = new Round(List.of(), List.of(), Map.of(), null);

        PendingOutboxEvent firstUnpublished() {
            Set<Long> done = new HashSet<>(this.refused.keySet());
            this.published.forEach((event) -> done.add(event.id()));
            return this.events.stream().filter((event) -> !done.contains(event.id())).findFirst()
                .orElse(this.events.get(0));
        }

    }

}
