package dev.eventbus.consumer;

import java.util.UUID;

import dev.eventbus.test.TestDatabase;
import dev.eventbus.test.TestDatabases;

class MariaDbEventHandlerIntegrationTests extends AbstractEventHandlerIntegrationTests {

    @Override
    TestDatabase createDatabase() {
        return TestDatabases.localMariaDb();
    }

    @Override
    Object eventIdParameter(UUID eventId) {
        return eventId.toString();
    }

}
