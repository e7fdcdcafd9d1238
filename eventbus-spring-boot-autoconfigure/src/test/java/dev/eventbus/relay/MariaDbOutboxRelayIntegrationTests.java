package dev.eventbus.relay;

import java.util.UUID;

import dev.eventbus.test.TestDatabase;
import dev.eventbus.test.TestDatabases;

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
