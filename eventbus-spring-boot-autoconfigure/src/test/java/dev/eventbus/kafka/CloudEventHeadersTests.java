package dev.eventbus.kafka;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CloudEventHeadersTests {

    @Test
    void attributesHaveTheHeadersOfTheKafkaBinding() {
        assertThat(CloudEventHeaders.of("specversion")).isEqualTo("ce_specversion");
        assertThat(CloudEventHeaders.of("id")).isEqualTo("ce_id");
        assertThat(CloudEventHeaders.of("source")).isEqualTo("ce_source");
        assertThat(CloudEventHeaders.of("type")).isEqualTo("ce_type");
        assertThat(CloudEventHeaders.of("time")).isEqualTo("ce_time");
        assertThat(CloudEventHeaders.of("eventversion")).isEqualTo("ce_eventversion");
        assertThat(CloudEventHeaders.of("datacontenttype")).isEqualTo("content-type");
        assertThat(CloudEventHeaders.of("traceparent")).isEqualTo("ce_traceparent");
    }

}
