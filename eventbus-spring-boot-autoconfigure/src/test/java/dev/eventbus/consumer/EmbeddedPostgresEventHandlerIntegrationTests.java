package dev.eventbus.consumer;

import dev.eventbus.test.TestDatabase;
import dev.eventbus.test.TestDatabases;

class EmbeddedPostgresEventHandlerIntegrationTests extends AbstractEventHandlerIntegrationTests {

    @Override
    TestDatabase createDatabase() {
        return TestDatabases.embeddedPostgres();
    }

}
