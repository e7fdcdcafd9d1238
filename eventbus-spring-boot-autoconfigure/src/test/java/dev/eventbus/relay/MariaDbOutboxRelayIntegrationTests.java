package dev.eventbus.relay;

import java.util.UUID;

import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;

class MariaDbOutboxRelayIntegrationTests extends AbstractOutboxRelayIntegrationTests {

    @Override
    TestDatabase createDatabase() {
        return TestDatabases.localMariaDb();
    }

    @Override
    Object eventIdParameter(UUID eventId) {
        return eventId.toString();
    }

}
