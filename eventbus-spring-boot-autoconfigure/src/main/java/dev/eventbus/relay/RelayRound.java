package dev.eventbus.relay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import dev.eventbus.outbox.JdbcOutboxRepository;
import dev.eventbus.outbox.OutboxEvent;
import dev.eventbus.outbox.PendingOutboxEvent;
import dev.eventbus.transport.OutboxTransport;
import dev.eventbus.transport.SendOutcome;
import org.jspecify.annotations.Nullable;

import org.springframework.core.NestedExceptionUtils;

import org.springframework.transaction.support.TransactionOperations;

/**
 * One round of the relay, in one database transaction: lock some of the lanes at the head of the
 * backlog, send their oldest events through the transport, and mark the acknowledged ones published. The lane locks are
 * row locks taken with {@code SKIP LOCKED}, so concurrent instances work on different lanes, and
 * they end with the transaction, so an instance that dies releases its lanes at once. Rounds of the
 * same instance may run at the same time; they do not ask for the lanes one of them holds.
 */
public class RelayRound {

    private final JdbcOutboxRepository repository;

    private final TransactionOperations transaction;

    private final OutboxTransport transport;

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
     * @param observers told about each published event and each failed round
     * @param batchSize the most events per round
     * @param maxLanes the most lanes one round locks, leaving the rest to other instances
     * @param deleteWhenPublished whether published rows are deleted at once instead of marked
     * @param clock the clock that stamps publication
     */
    public RelayRound(JdbcOutboxRepository repository, TransactionOperations transaction, OutboxTransport transport,
            List<RelayObserver> observers, int batchSize, int maxLanes, boolean deleteWhenPublished, Clock clock) {
        this.repository = repository;
        this.transaction = transaction;
        this.transport = transport;
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
        try {
            RoundResult result = this.transaction.execute((status) -> relay(candidates, locked));
            return (result != null) ? result : RoundResult.IDLE;
        }
        finally {
            this.lanesInRounds.removeAll(locked);
        }
    }

    private RoundResult relay(List<Integer> candidates, List<Integer> locked) {
        List<Integer> lanes = this.repository.lockLanes(share(candidates));
        if (lanes.isEmpty()) {
            return RoundResult.IDLE;
        }
        locked.addAll(lanes);
        this.lanesInRounds.addAll(lanes);
        List<PendingOutboxEvent> events = this.repository.pendingEvents(lanes, scanSize(), this.batchSize);
        SendOutcome outcome = this.transport.send(events);
        List<PendingOutboxEvent> published = publishedInLaneOrder(events, outcome.acknowledged());
        List<Long> ids = published.stream().map(PendingOutboxEvent::id).toList();
        if (this.deleteWhenPublished) {
            this.repository.delete(ids);
        }
        else {
            this.repository.markPublished(ids, this.clock.instant());
        }
        observe(events, published, outcome.failure());
        Throwable failure = (outcome.failure() == null && published.size() < events.size())
                ? new IllegalStateException("The transport acknowledged " + outcome.acknowledged().size() + " of "
                        + events.size() + " events without reporting a failure")
                : outcome.failure();
        return new RoundResult(published.size(), !events.isEmpty(), failure);
    }

    /**
     * The acknowledged events that are published for good: in each lane, those before its first
     * event that was not acknowledged. A later event of a lane stays pending with the earlier one,
     * so the lane's order holds when both are sent again.
     */
    static List<PendingOutboxEvent> publishedInLaneOrder(List<PendingOutboxEvent> events, List<Long> acknowledged) {
        if (acknowledged.size() == events.size()) {
            return events;
        }
        Set<Long> acknowledgedIds = new HashSet<>(acknowledged);
        Set<Integer> stoppedLanes = new HashSet<>();
        List<PendingOutboxEvent> published = new ArrayList<>(acknowledged.size());
        for (PendingOutboxEvent event : events) {
            int lane = event.event().lane();
            if (stoppedLanes.contains(lane)) {
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

    private void observe(List<PendingOutboxEvent> events, List<PendingOutboxEvent> published,
            @Nullable Throwable failure) {
        if (this.observers.isEmpty()) {
            return;
        }
        Instant now = this.clock.instant();
        for (PendingOutboxEvent event : published) {
            OutboxEvent outboxEvent = event.event();
            Duration sinceOccurred = Duration.between(outboxEvent.occurredAt(), now);
            this.observers.forEach((observer) -> observer.published(outboxEvent.topic(), sinceOccurred));
        }
        if (failure != null) {
            Throwable cause = NestedExceptionUtils.getMostSpecificCause(failure);
            String topic = firstUnpublished(events, published).event().topic();
            this.observers.forEach((observer) -> observer.failed(topic, cause));
        }
    }

    private static PendingOutboxEvent firstUnpublished(List<PendingOutboxEvent> events,
            List<PendingOutboxEvent> published) {
        Set<Long> publishedIds = new HashSet<>();
        published.forEach((event) -> publishedIds.add(event.id()));
        return events.stream().filter((event) -> !publishedIds.contains(event.id())).findFirst().orElse(events.get(0));
    }

}
