package dev.eventbus.relay;

import dev.eventbus.test.TestDatabase;
import dev.eventbus.test.TestDatabases;

class H2OutboxRelayIntegrationTests extends AbstractOutboxRelayIntegrationTests {

    @Override
    TestDatabase createDatabase() {
        return TestDatabases.h2();
    }

}
