package dev.eventbus.relay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventbus.outbox.JdbcOutboxRepository;
import dev.eventbus.outbox.OutboxEvent;
import dev.eventbus.outbox.OutboxLanes;
import dev.eventbus.outbox.ParkedOutboxEvents;
import dev.eventbus.outbox.PendingOutboxEvent;
import dev.eventbus.schema.Database;
import dev.eventbus.schema.EventbusSchemaMigrator;
import dev.eventbus.schema.EventbusTables;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;
import dev.eventbus.transport.OutboxTransport;
import dev.eventbus.transport.PendingSend;
import dev.eventbus.transport.SendOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A round hands its batches over while earlier ones await the broker, on embedded PostgreSQL,
 * with a transport whose answers the test gives.
 */
class PipelinedRelayRoundTests {

    private static final int BATCH_SIZE = 10;

    private TestDatabase database;

    private HikariDataSource dataSource;

    private JdbcTemplate jdbc;

    private JdbcOutboxRepository repository;

    private final HeldTransport transport = new HeldTransport();

    private RelayRound round;

    @BeforeEach
    void createOutbox() {
        this.database = TestDatabases.embeddedPostgres();
        this.dataSource = this.database.createDataSource();
        this.jdbc = new JdbcTemplate(this.dataSource);
        new EventbusSchemaMigrator(this.dataSource, Database.POSTGRESQL, EventbusTables.DEFAULT).migrate();
        this.repository = new JdbcOutboxRepository(this.jdbc, Database.POSTGRESQL, EventbusTables.DEFAULT);
        TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(this.dataSource));
        ParkedOutboxEvents parked = new ParkedOutboxEvents(this.jdbc, transaction, Database.POSTGRESQL,
                EventbusTables.DEFAULT);
        this.round = new RelayRound(this.repository, transaction, this.transport, parked, List.of(), BATCH_SIZE,
                OutboxLanes.COUNT, false, Clock.systemUTC());
    }

    @AfterEach
    void dropOutbox() {
        this.dataSource.close();
        this.database.close();
    }

    private void insert(int count, int lanes) {
        List<OutboxEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int lane = i % lanes;
            events.add(new OutboxEvent(UUID.randomUUID(), "t", 1, "topic", "key-" + lane, lane, "source",
                    "{\"n\":" + i + "}", Map.of(), Instant.now()));
        }
        this.repository.insert(events);
    }

    private long pending() {
        return this.repository.countPending();
    }

    @Test
    void roundHandsItsNextBatchesOverBeforeTheFirstIsAnsweredAndMarksEachOnceAnswered() throws Exception {
        insert(45, 3);
        CompletableFuture<RoundResult> result = CompletableFuture.supplyAsync(this.round::run);

        await().atMost(Duration.ofSeconds(10)).until(() -> this.transport.batches.size() == 3);
        assertThat(this.transport.batches).allSatisfy((batch) -> assertThat(batch.events).hasSize(BATCH_SIZE));
        assertThat(pending()).isEqualTo(45);

        this.transport.batches.get(0).acknowledgeAll();
        await().atMost(Duration.ofSeconds(10)).until(() -> this.transport.batches.size() == 4);
        this.transport.batches.get(1).acknowledgeAll();
        await().atMost(Duration.ofSeconds(10)).until(() -> this.transport.batches.size() == 5);
        this.transport.batches.subList(2, 5).forEach(Batch::acknowledgeAll);

        RoundResult round = result.get(10, TimeUnit.SECONDS);
        assertThat(round.published()).isEqualTo(45);
        assertThat(round.failure()).isNull();
        assertThat(pending()).isZero();
        assertThat(this.transport.handedOverIds()).isSorted().doesNotHaveDuplicates().hasSize(45);
    }

    @Test
    void failureStopsTheHandOverAndKeepsTheFailedLanesLaterEventsPendingWhileTheOtherLanesArePublished()
            throws Exception {
        insert(30, 3);
        CompletableFuture<RoundResult> result = CompletableFuture.supplyAsync(this.round::run);
        await().atMost(Duration.ofSeconds(10)).until(() -> this.transport.batches.size() == 3);
        long failedId = this.transport.batches.get(0).events.get(0).id();
        int failedLane = this.transport.batches.get(0).events.get(0).event().lane();

        this.transport.batches.get(0).acknowledgeAllBut(failedId);
        this.transport.batches.get(1).acknowledgeAll();
        this.transport.batches.get(2).acknowledgeAll();

        RoundResult round = result.get(10, TimeUnit.SECONDS);
        assertThat(round.failure()).hasMessage("broker away");
        assertThat(this.transport.batches).hasSize(3);
        assertThat(round.published()).isEqualTo(20);
        assertThat(this.jdbc.queryForList("SELECT DISTINCT lane FROM eventbus_outbox WHERE published_at IS NULL",
                Integer.class)).containsExactly(failedLane);
        assertThat(pending()).isEqualTo(10);
    }

    @Test
    void roundEndsAfterItsLastBatchAndTheNextTakesTheRest() {
        insert(100, 4);
        this.transport.answerAtOnce = true;

        RoundResult first = this.round.run();
        RoundResult second = this.round.run();

        assertThat(first.published()).isEqualTo(80);
        assertThat(first.moreWork()).isTrue();
        assertThat(second.published()).isEqualTo(20);
        assertThat(pending()).isZero();
        assertThat(this.round.run()).isEqualTo(RoundResult.IDLE);
    }

    /**
     * A transport that holds each batch until the test answers it.
     */
    static final class HeldTransport implements OutboxTransport {

        final List<Batch> batches = new CopyOnWriteArrayList<>();

        volatile boolean answerAtOnce;

        @Override
        public SendOutcome send(List<PendingOutboxEvent> events) {
            return sendAsync(events).await();
        }

        @Override
        public PendingSend sendAsync(List<PendingOutboxEvent> events) {
            Batch batch = new Batch(List.copyOf(events));
            this.batches.add(batch);
            if (this.answerAtOnce) {
                batch.acknowledgeAll();
            }
            return batch;
        }

        List<Long> handedOverIds() {
            return this.batches.stream().flatMap((batch) -> batch.events.stream()).map(PendingOutboxEvent::id).toList();
        }

    }

    static final class Batch implements PendingSend {

        final List<PendingOutboxEvent> events;

        final CompletableFuture<SendOutcome> answer = new CompletableFuture<>();

        Batch(List<PendingOutboxEvent> events) {
            this.events = events;
        }

        void acknowledgeAll() {
            this.answer.complete(new SendOutcome(this.events.stream().map(PendingOutboxEvent::id).toList(), Map.of(),
                    null));
        }

        void acknowledgeAllBut(long failedId) {
            List<Long> acknowledged = this.events.stream().map(PendingOutboxEvent::id)
                .filter((id) -> id != failedId).toList();
            this.answer.complete(new SendOutcome(acknowledged, Map.of(), new IllegalStateException("broker away")));
        }

        @Override
        public boolean isAnswered() {
            return this.answer.isDone();
        }

        @Override
        public SendOutcome await() {
            return this.answer.join();
        }

    }

}
