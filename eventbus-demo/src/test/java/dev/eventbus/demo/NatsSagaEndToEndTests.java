package dev.eventbus.demo;

import java.util.List;

import dev.eventbus.nats.NatsOutboxTransport;
import dev.eventbus.transport.OutboxTransport;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;

/**
 * The saga on the machine's NATS server (127.0.0.1:4222, JetStream).
 */
class NatsSagaEndToEndTests extends BrokerSagaEndToEndTests {

    @Override
    List<String> transportArguments() {
        return List.of("--eventbus.transport=nats", "--eventbus.nats.url=nats://127.0.0.1:4222");
    }

    @Override
    Class<? extends OutboxTransport> transportClass() {
        return NatsOutboxTransport.class;
    }

    @Override
    void deleteTopics() throws Exception {
        try (Connection connection = Nats.connect("nats://127.0.0.1:4222")) {
            JetStreamManagement management = connection.jetStreamManagement();
            for (String topic : List.of(this.orders, this.inventory)) {
                for (String stream : List.of(topic, topic + "-dlt")) {
                    try {
                        management.deleteStream(stream);
                    }
                    catch (JetStreamApiException ex) {
                        // not created
                    }
                }
            }
        }
    }

}
