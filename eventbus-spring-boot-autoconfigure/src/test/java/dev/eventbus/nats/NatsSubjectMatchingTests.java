package dev.eventbus.nats;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NatsSubjectMatchingTests {

    @Test
    void filterTakesTheSubjectsItNamesOrMatchesWithWildcards() {
        assertThat(NatsStreams.matches("orders.*", "orders.3")).isTrue();
        assertThat(NatsStreams.matches("orders.>", "orders.3")).isTrue();
        assertThat(NatsStreams.matches(">", "orders.3")).isTrue();
        assertThat(NatsStreams.matches("*.3", "orders.3")).isTrue();
        assertThat(NatsStreams.matches("orders.3", "orders.3")).isTrue();
        assertThat(NatsStreams.matches("shop.orders.*", "shop.orders.0")).isTrue();
    }

    @Test
    void filterDoesNotTakeOtherSubjects() {
        assertThat(NatsStreams.matches("orders", "orders.3")).isFalse();
        assertThat(NatsStreams.matches("orders.4", "orders.3")).isFalse();
        assertThat(NatsStreams.matches("orders.*.*", "orders.3")).isFalse();
        assertThat(NatsStreams.matches("orders.3.>", "orders.3")).isFalse();
        assertThat(NatsStreams.matches("payments.*", "orders.3")).isFalse();
        assertThat(NatsStreams.matches("orders.*", "shop.orders.3")).isFalse();
    }

}
