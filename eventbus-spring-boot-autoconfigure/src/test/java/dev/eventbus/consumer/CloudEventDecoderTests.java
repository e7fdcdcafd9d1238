package dev.eventbus.consumer;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.eventbus.testapp.OrderPlaced;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CloudEventDecoderTests {

    private final CloudEventDecoder decoder = new CloudEventDecoder(JsonMapper.builder().build());

    @Test
    void decodesBinaryModeAttributes() {
        UUID id = UUID.randomUUID();
        ReceivedEvent event = this.decoder.decode(record("{\"orderId\":\"o\",\"sequence\":1,\"note\":\"\"}",
                Map.of("specversion", "1.0", "id", id.toString(), "source", "shop", "type",
                        "test.order-placed", "time", "2026-11-22T10:00:00.5+01:00", "eventversion", "2")));

        assertThat(event.metadata().id()).isEqualTo(id);
        assertThat(event.metadata().version()).isEqualTo(2);
        assertThat(event.metadata().occurredAt()).hasToString("2026-11-22T09:00:00.500Z");
        assertThat(event.metadata().key()).isEqualTo("key");
        assertThat(this.decoder.read(event, OrderPlaced.class)).isEqualTo(new OrderPlaced("o", 1));
    }

    @Test
    void readsEveryRfc3339TimeAsOffsetDateTimeDoesAndRefusesImpossibleOnes() {
        for (String time : List.of("2026-11-22T10:00:00Z", "2026-11-22t10:00:00z", "2026-11-22T10:00:00.5Z",
                "2026-11-22T10:00:00.123456Z", "2026-11-22T10:00:00.123456789Z", "2026-11-22T10:00:00.5+01:00",
                "2026-11-22T10:00:00-05:30")) {
            assertThat(this.decoder.decode(record("{}", timed(time))).metadata().occurredAt()).as(time)
                .isEqualTo(OffsetDateTime.parse(time.toUpperCase(Locale.ROOT)).toInstant());
        }
        for (String time : List.of("2026-13-22T10:00:00Z", "2026-11-22 10:00:00Z",
                "2026-11-22T10:00:0xZ", "2026-02-30T10:00:00Z", "2026-11-22T10:00:00.1234567891Z")) {
            assertThatExceptionOfType(MalformedEventException.class).as(time)
                .isThrownBy(() -> this.decoder.decode(record("{}", timed(time))))
                .withMessageContaining("is not an RFC 3339 timestamp");
        }
    }

    private static Map<String, String> timed(String time) {
        return Map.of("specversion", "1.0", "id", "1", "source", "s", "type", "t", "time", time);
    }

    @Test
    void nonUuidIdsBecomeStableNameBasedUuids() {
        assertThat(CloudEventDecoder.eventId("A234-1234", "shop"))
            .isEqualTo(CloudEventDecoder.eventId("A234-1234", "shop"))
            .isNotEqualTo(CloudEventDecoder.eventId("A234-1234", "other-shop"));
    }

    @Test
    void typeNamingAJavaClassIsOnlyAName() {
        ReceivedEvent event = this.decoder.decode(record("{}",
                Map.of("specversion", "1.0", "id", "1", "source", "attacker", "type",
                        "org.springframework.context.support.ClassPathXmlApplicationContext")));

        assertThat(event.metadata().type()).isEqualTo("org.springframework.context.support.ClassPathXmlApplicationContext");
        assertThat(new EventHandlerEndpoint("group", "topic", java.util.List.of())
            .handlersFor(event.metadata().type(), 1)).isEmpty();
    }

    @Test
    void refusesRecordsThatAreNotCloudEvents() {
        assertThatExceptionOfType(MalformedEventException.class)
            .isThrownBy(() -> this.decoder.decode(record("{}", Map.of())))
            .withMessage("Message lacks the CloudEvents attribute specversion");
        assertThatExceptionOfType(MalformedEventException.class)
            .isThrownBy(() -> this.decoder.decode(record("{}", Map.of("specversion", "0.3", "id", "1",
                    "source", "s", "type", "t"))))
            .withMessageContaining("Unsupported CloudEvents version '0.3'");
        assertThatExceptionOfType(MalformedEventException.class)
            .isThrownBy(() -> this.decoder.decode(record("{}", Map.of("specversion", "1.0", "id", "1",
                    "source", "s", "type", "t", "eventversion", "two"))))
            .withMessageContaining("Event version 'two' is not a number");
    }

    @Test
    void refusesDataThatDoesNotFitTheEventClass() {
        ReceivedEvent event = this.decoder.decode(record("{\"sequence\":\"many\"}", Map.of("specversion", "1.0",
                "id", "1", "source", "s", "type", "test.order-placed")));

        assertThatExceptionOfType(MalformedEventException.class)
            .isThrownBy(() -> this.decoder.read(event, OrderPlaced.class))
            .withMessageContaining("is not valid JSON for OrderPlaced");
    }

    private static TestMessage record(String value, Map<String, String> attributes) {
        return new TestMessage("topic", "key", value.getBytes(StandardCharsets.UTF_8), attributes);
    }

}
