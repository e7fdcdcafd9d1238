package dev.eventbus.kafka;

import dev.eventbus.kit.AbstractTransportCompatibilityTests;
import dev.eventbus.kit.KitTransport;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;

/**
 * The transport compatibility kit on Kafka and the machine's MariaDB.
 */
class KafkaOnMariaDbTransportCompatibilityTests extends AbstractTransportCompatibilityTests {

    @Override
    protected KitTransport transport() {
        return new KafkaKitTransport();
    }

    @Override
    protected TestDatabase createDatabase() {
        return TestDatabases.localMariaDb();
    }

}
