package dev.eventbus.relay;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import dev.eventbus.outbox.JdbcOutboxRepository;
import dev.eventbus.outbox.PendingOutboxEvent;

import org.springframework.transaction.support.TransactionOperations;

/**
 * One round of the relay, in one database transaction: lock some of the lanes at the head of the
 * backlog, send their oldest events to Kafka, and mark the acknowledged ones published. The lane locks are
 * row locks taken with {@code SKIP LOCKED}, so concurrent instances work on different lanes, and
 * they end with the transaction, so an instance that dies releases its lanes at once. Rounds of the
 * same instance may run at the same time; they do not ask for the lanes one of them holds.
 */
public class RelayRound {

    private final JdbcOutboxRepository repository;

    private final TransactionOperations transaction;

    private final KafkaOutboxSender sender;

    private final int batchSize;

    private final int maxLanes;

    private final boolean deleteWhenPublished;

    private final Clock clock;

    private final Set<Integer> lanesInRounds = ConcurrentHashMap.newKeySet();

    /**
     * Creates a round.
     * @param repository the outbox
     * @param transaction a read-committed transaction on the outbox's data source
     * @param sender sends events to Kafka
     * @param batchSize the most events per round
     * @param maxLanes the most lanes one round locks, leaving the rest to other instances
     * @param deleteWhenPublished whether published rows are deleted at once instead of marked
     * @param clock the clock that stamps publication
     */
    public RelayRound(JdbcOutboxRepository repository, TransactionOperations transaction, KafkaOutboxSender sender,
            int batchSize, int maxLanes, boolean deleteWhenPublished, Clock clock) {
        this.repository = repository;
        this.transaction = transaction;
        this.sender = sender;
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
        SendOutcome outcome = this.sender.send(events);
        if (this.deleteWhenPublished) {
            this.repository.delete(outcome.acknowledged());
        }
        else {
            this.repository.markPublished(outcome.acknowledged(), this.clock.instant());
        }
        return new RoundResult(outcome.acknowledged().size(), !events.isEmpty(), outcome.failure());
    }

}
