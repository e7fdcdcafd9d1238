package dev.eventbus.nats;

import dev.eventbus.kit.AbstractTransportCompatibilityTests;
import dev.eventbus.kit.KitTransport;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;
import org.junit.jupiter.api.AfterAll;

/**
 * The transport compatibility kit on the machine's NATS server (JetStream) and PostgreSQL.
 */
class NatsTransportCompatibilityTests extends AbstractTransportCompatibilityTests {

    private NatsKitTransport transport;

    @Override
    protected KitTransport transport() {
        this.transport = new NatsKitTransport();
        return this.transport;
    }

    @Override
    protected TestDatabase createDatabase() {
        return TestDatabases.embeddedPostgres();
    }

    @AfterAll
    void deleteStreams() {
        if (this.transport != null) {
            this.transport.close();
        }
    }

}
