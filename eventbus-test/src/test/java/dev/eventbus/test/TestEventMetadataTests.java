package dev.eventbus.test;

import java.time.Instant;
import java.util.UUID;

import dev.eventbus.EventMetadata;
import dev.eventbus.test.app.StockReserved;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TestEventMetadataTests {

    @Test
    void typeVersionAndKeyComeFromTheEventsAnnotations() {
        EventMetadata metadata = TestEventMetadata.of(new StockReserved("order-1", 2)).build();

        assertThat(metadata.type()).isEqualTo("shop.stock-reserved");
        assertThat(metadata.version()).isEqualTo(2);
        assertThat(metadata.key()).isEqualTo("order-1");
        assertThat(metadata.attempt()).isOne();
        assertThat(metadata.topic()).isEqualTo("shop.stock-reserved");
        assertThat(metadata.id()).isNotNull();
        assertThat(metadata.headers()).isEmpty();
    }

    @Test
    void everyAttributeCanBeSet() {
        UUID id = UUID.randomUUID();
        Instant time = Instant.parse("2026-12-01T10:00:00Z");

        EventMetadata metadata = TestEventMetadata.ofType("billing.invoice-sent", 3)
            .id(id)
            .key("invoice-7")
            .source("billing")
            .occurredAt(time)
            .topic("invoices")
            .partition(4)
            .offset(42)
            .attempt(3)
            .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
            .build();

        assertThat(metadata.id()).isEqualTo(id);
        assertThat(metadata.type()).isEqualTo("billing.invoice-sent");
        assertThat(metadata.version()).isEqualTo(3);
        assertThat(metadata.key()).isEqualTo("invoice-7");
        assertThat(metadata.source()).isEqualTo("billing");
        assertThat(metadata.occurredAt()).isEqualTo(time);
        assertThat(metadata.topic()).isEqualTo("invoices");
        assertThat(metadata.partition()).isEqualTo(4);
        assertThat(metadata.offset()).isEqualTo(42);
        assertThat(metadata.attempt()).isEqualTo(3);
        assertThat(metadata.headers()).containsOnlyKeys("traceparent");
    }

    @Test
    void attemptStartsAtOneAndAClassWithoutEventTypeIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> TestEventMetadata.ofType("a", 1).attempt(0))
            .withMessage("attempt starts at 1, but was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> TestEventMetadata.of("not an event"));
    }

}
