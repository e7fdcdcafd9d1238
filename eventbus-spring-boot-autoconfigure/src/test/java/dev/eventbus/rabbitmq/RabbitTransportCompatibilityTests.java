package dev.eventbus.rabbitmq;

import dev.eventbus.kit.AbstractTransportCompatibilityTests;
import dev.eventbus.kit.KitTransport;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;
import org.junit.jupiter.api.AfterAll;

/**
 * The transport compatibility kit on the machine's RabbitMQ and PostgreSQL.
 */
class RabbitTransportCompatibilityTests extends AbstractTransportCompatibilityTests {

    private RabbitKitTransport transport;

    @Override
    protected KitTransport transport() {
        this.transport = new RabbitKitTransport();
        return this.transport;
    }

    @Override
    protected TestDatabase createDatabase() {
        return TestDatabases.embeddedPostgres();
    }

    @AfterAll
    void deleteExchangesAndQueues() {
        if (this.transport != null) {
            this.transport.close();
        }
    }

}
