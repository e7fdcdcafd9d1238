package dev.eventbus.outbox;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TimeOrderedUuidsTests {

    @Test
    void generatesVersion7IdsCarryingTheTimestamp() {
        Instant now = Instant.parse("2026-11-22T10:15:30.123Z");
        UUID id = new TimeOrderedUuids(Clock.fixed(now, ZoneOffset.UTC)).next();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(now.toEpochMilli());
    }

    @Test
    void idsIncreaseStrictlyEvenWithinOneMillisecond() {
        TimeOrderedUuids ids = new TimeOrderedUuids(Clock.fixed(Instant.now(), ZoneOffset.UTC));
        List<UUID> generated = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            generated.add(ids.next());
        }

        assertThat(generated).doesNotHaveDuplicates();
        for (int i = 1; i < generated.size(); i++) {
            assertThat(Long.compareUnsigned(generated.get(i - 1).getMostSignificantBits(),
                    generated.get(i).getMostSignificantBits()))
                .isNegative();
        }
    }

}
