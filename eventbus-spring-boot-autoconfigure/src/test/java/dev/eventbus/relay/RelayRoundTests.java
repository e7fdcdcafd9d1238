package dev.eventbus.relay;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.eventbus.outbox.OutboxEvent;
import dev.eventbus.outbox.PendingOutboxEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RelayRoundTests {

    @Test
    void eventAcknowledgedAfterAnEarlierOneOfItsLaneFailedStaysPending() {
        PendingOutboxEvent first = event(1, 7);
        PendingOutboxEvent otherLane = event(2, 8);
        PendingOutboxEvent second = event(3, 7);
        PendingOutboxEvent third = event(4, 7);

        List<PendingOutboxEvent> published = RelayRound.publishedInLaneOrder(
                List.of(first, otherLane, second, third), List.of(2L, 3L, 4L), Set.of());

        assertThat(published).containsExactly(otherLane);
    }

    @Test
    void eachLaneKeepsTheAcknowledgedEventsBeforeItsFirstFailure() {
        PendingOutboxEvent a1 = event(1, 1);
        PendingOutboxEvent b1 = event(2, 2);
        PendingOutboxEvent a2 = event(3, 1);
        PendingOutboxEvent b2 = event(4, 2);

        assertThat(RelayRound.publishedInLaneOrder(List.of(a1, b1, a2, b2), List.of(1L, 2L, 4L), Set.of()))
            .containsExactly(a1, b1, b2);
        assertThat(RelayRound.publishedInLaneOrder(List.of(a1, b1, a2, b2), List.of(1L, 2L, 3L, 4L), Set.of()))
            .containsExactly(a1, b1, a2, b2);
    }

    @Test
    void refusedEventIsSkippedAndDoesNotHoldItsLaneUp() {
        PendingOutboxEvent first = event(1, 7);
        PendingOutboxEvent refused = event(2, 7);
        PendingOutboxEvent third = event(3, 7);

        assertThat(RelayRound.publishedInLaneOrder(List.of(first, refused, third), List.of(1L, 3L), Set.of(2L)))
            .containsExactly(first, third);
    }

    private static PendingOutboxEvent event(long id, int lane) {
        return new PendingOutboxEvent(id, new OutboxEvent(UUID.randomUUID(), "t", 1, "topic", "key-" + lane, lane,
                "source", "{}", Map.of(), Instant.EPOCH));
    }

}
