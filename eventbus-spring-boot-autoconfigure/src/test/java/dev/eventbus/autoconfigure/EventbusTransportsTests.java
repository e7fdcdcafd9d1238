package dev.eventbus.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class EventbusTransportsTests {

    @Test
    void transportIsTheOneWhoseClientIsOnTheClassPathWhenNoneIsConfigured() {
        assertThat(EventbusTransports.select(new MockEnvironment(),
                new FilteredClassLoader("org.springframework.amqp", "io.nats")))
            .isEqualTo("kafka");
        assertThat(EventbusTransports.select(new MockEnvironment(),
                new FilteredClassLoader("org.springframework.kafka", "io.nats")))
            .isEqualTo("rabbitmq");
        assertThat(EventbusTransports.select(new MockEnvironment(),
                new FilteredClassLoader("org.springframework.kafka", "org.springframework.amqp")))
            .isEqualTo("nats");
        assertThat(EventbusTransports.select(new MockEnvironment(),
                new FilteredClassLoader("org.springframework.kafka", "org.springframework.amqp", "io.nats")))
            .isNull();
    }

    @Test
    void severalClientsWithoutConfiguredTransportFailNamingTheProperty() {
        assertThatIllegalStateException()
            .isThrownBy(() -> EventbusTransports.select(new MockEnvironment(), getClass().getClassLoader()))
            .withMessage("The client libraries of several transports are on the class path [kafka, rabbitmq, nats]:"
                    + " choose one with eventbus.transport");
    }

    @Test
    void configuredTransportIsUsed() {
        MockEnvironment environment = new MockEnvironment().withProperty("eventbus.transport", " Kafka ");

        assertThat(EventbusTransports.select(environment, getClass().getClassLoader())).isEqualTo("kafka");
    }

    @Test
    void localTransportIsUsedOnlyWhenConfiguredAndNeedsNoClient() {
        MockEnvironment environment = new MockEnvironment().withProperty("eventbus.transport", "local");

        assertThat(EventbusTransports.select(environment, new FilteredClassLoader("org.springframework.kafka")))
            .isEqualTo("local");
        assertThat(EventbusTransports.select(environment, getClass().getClassLoader())).isEqualTo("local");
    }

    @Test
    void unknownTransportFailsNamingTheProperty() {
        MockEnvironment environment = new MockEnvironment().withProperty("eventbus.transport", "carrier-pigeon");

        assertThatIllegalStateException()
            .isThrownBy(() -> EventbusTransports.select(environment, getClass().getClassLoader()))
            .withMessage("eventbus.transport is 'carrier-pigeon', which is not a transport; use one of [kafka, rabbitmq, nats, local]");
    }

    @Test
    void configuredTransportWithoutItsClientFailsNamingThePropertyAndTheMissingClass() {
        MockEnvironment environment = new MockEnvironment().withProperty("eventbus.transport", "kafka");

        assertThatIllegalStateException()
            .isThrownBy(() -> EventbusTransports.select(environment,
                    new FilteredClassLoader("org.springframework.kafka")))
            .withMessageContaining("eventbus.transport is 'kafka'")
            .withMessageContaining("org.springframework.kafka.core.KafkaTemplate");
    }

}
