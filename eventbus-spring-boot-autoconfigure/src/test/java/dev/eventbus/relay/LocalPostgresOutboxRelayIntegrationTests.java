package dev.eventbus.relay;

import dev.eventbus.test.TestDatabase;
import dev.eventbus.test.TestDatabases;

class LocalPostgresOutboxRelayIntegrationTests extends AbstractOutboxRelayIntegrationTests {

    @Override
    TestDatabase createDatabase() {
        return TestDatabases.localPostgres();
    }

}
