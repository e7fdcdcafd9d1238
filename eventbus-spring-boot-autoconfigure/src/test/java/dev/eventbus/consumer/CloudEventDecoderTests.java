package dev.eventbus.consumer;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.eventbus.testapp.OrderPlaced;
import org.jspecify.annotations.Nullable;
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
            .withMessageContaining("Event version 'two' is not a whole number");
    }

    @Test
    void refusesDataThatDoesNotFitTheEventClass() {
        ReceivedEvent event = this.decoder.decode(record("{\"sequence\":\"many\"}", Map.of("specversion", "1.0",
                "id", "1", "source", "s", "type", "test.order-placed")));

        assertThatExceptionOfType(MalformedEventException.class)
            .isThrownBy(() -> this.decoder.read(event, OrderPlaced.class))
            .withMessageContaining("is not valid JSON for OrderPlaced");
    }

    @Test
    void readsStructuredAttributesAsTheJsonFormatTypesThem() {
        ReceivedEvent event = this.decoder.decode(structured(null, "\"eventversion\":2,\"partitionkey\":\"o-1\","
                + "\"time\":\"2026-11-22T10:00:00.5+01:00\""));

        assertThat(event.metadata().version()).isEqualTo(2);
        assertThat(event.metadata().key()).isEqualTo("o-1");
        assertThat(event.metadata().occurredAt()).hasToString("2026-11-22T09:00:00.500Z");
        assertThat(this.decoder.decode(structured(null, "\"eventversion\":\"3\",\"partitionkey\":42"))
            .metadata()).extracting(ReceivedEventMetadata::version, ReceivedEventMetadata::key)
            .containsExactly(3, "42");
    }

    @Test
    void prefersTheTransportsKeyToTheEnvelopesAndReadsNoKeyWhenBothLackOne() {
        assertThat(this.decoder.decode(structured("record-key", "\"partitionkey\":\"o-1\"")).metadata().key())
            .isEqualTo("record-key");
        assertThat(this.decoder.decode(structured(null, "\"eventversion\":1")).metadata().key()).isNull();
    }

    @Test
    void refusesStructuredAttributesOfTheWrongTypeInsteadOfDefaultingThem() {
        Map<String, String> refusals = Map.of("\"eventversion\":2.5", "eventversion must be an integer or a string, not 2.5",
                "\"eventversion\":true", "eventversion must be an integer or a string, not true",
                "\"eventversion\":\"2.0\"", "Event version '2.0' is not a whole number",
                "\"eventversion\":0", "Event version 0 is below 1",
                "\"eventversion\":99999999999", "Event version '99999999999' is not a whole number",
                "\"time\":1764064800", "time must be a JSON string, not 1764064800",
                "\"time\":\"yesterday\"", "Event time 'yesterday' is not an RFC 3339 timestamp",
                "\"partitionkey\":{\"id\":1}", "partitionkey must be an integer or a string");
        refusals.forEach((attribute, cause) -> assertThatExceptionOfType(MalformedEventException.class).as(attribute)
            .isThrownBy(() -> this.decoder.decode(structured(null, attribute)))
            .withMessageContaining(cause));
        assertThatExceptionOfType(MalformedEventException.class)
            .isThrownBy(() -> this.decoder.decode(new TestMessage("topic", null,
                    "{\"specversion\":\"1.0\",\"id\":7,\"source\":\"s\",\"type\":\"t\",\"data\":{}}"
                        .getBytes(StandardCharsets.UTF_8),
                    Map.of("datacontenttype", "application/cloudevents+json"))))
            .withMessageContaining("id must be a JSON string, not 7");
    }

    private static TestMessage structured(@Nullable String key, String attributes) {
        String envelope = "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\"," + attributes
                + ",\"data\":{}}";
        return new TestMessage("topic", key, envelope.getBytes(StandardCharsets.UTF_8),
                Map.of("datacontenttype", "application/cloudevents+json; charset=utf-8"));
    }

    private static TestMessage record(String value, Map<String, String> attributes) {
        return new TestMessage("topic", "key", value.getBytes(StandardCharsets.UTF_8), attributes);
    }

}
