package dev.eventbus.relay;

import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;

class LocalPostgresOutboxRelayIntegrationTests extends AbstractOutboxRelayIntegrationTests {

    @Override
    TestDatabase createDatabase() {
        return TestDatabases.localPostgres();
    }

}
