package dev.eventbus.nats;

import java.util.List;

import io.nats.client.impl.Headers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NatsHeaderValuesTests {

    @Test
    void writesPrintableAsciiAsItIs() {
        assertThat(NatsHeaderValues.encode("order-1 / 2026-12-08T10:00:00Z")).isEqualTo("order-1 / 2026-12-08T10:00:00Z");
    }

    @Test
    void percentEncodesTheUtf8OfEverythingElseAndReadsItBack() {
        assertThat(NatsHeaderValues.encode("Müller 100%\n")).isEqualTo("M%C3%BCller 100%25%0A");
        for (String value : List.of("Müller", "東京", "🚀", "ключ", "100%", "a%zz", "tab\there", "")) {
            String encoded = NatsHeaderValues.encode(value);
            assertThat(encoded).as(value).matches("[\\x20-\\x7e]*");
            assertThat(NatsHeaderValues.decode(encoded)).as(value).isEqualTo(value);
        }
    }

    @Test
    void marksAMessageEncodedOnlyWhenAValueHadToBeAndDecodesOnlySuchMessages() {
        Headers plain = new Headers();
        NatsHeaderValues.put(plain, "ce-source", "https://shop.example/a%2Fb");
        Headers foreign = new Headers().put("ce-source", "https://shop.example/a%2Fb");
        Headers encoded = new Headers();
        NatsHeaderValues.put(encoded, "ce-partitionkey", "Müller");

        assertThat(NatsHeaderValues.isEncoded(plain)).isTrue();
        assertThat(NatsHeaderValues.read(plain, "ce-source")).isEqualTo("https://shop.example/a%2Fb");
        assertThat(NatsHeaderValues.isEncoded(foreign)).isFalse();
        assertThat(NatsHeaderValues.read(foreign, "ce-source")).isEqualTo("https://shop.example/a%2Fb");
        assertThat(encoded.getFirst("ce-partitionkey")).isEqualTo("M%C3%BCller");
        assertThat(NatsHeaderValues.read(encoded, "ce-partitionkey")).isEqualTo("Müller");
    }

    @Test
    void keepsAPercentSignThatStartsNoEscape() {
        assertThat(NatsHeaderValues.decode("50%-off %4")).isEqualTo("50%-off %4");
    }

}
