package dev.eventbus.relay;

import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;

class H2OutboxRelayIntegrationTests extends AbstractOutboxRelayIntegrationTests {

    @Override
    TestDatabase createDatabase() {
        return TestDatabases.h2();
    }

}
