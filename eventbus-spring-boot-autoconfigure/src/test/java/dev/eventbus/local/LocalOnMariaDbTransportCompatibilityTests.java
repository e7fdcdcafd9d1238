package dev.eventbus.local;

import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;

/**
 * The transport compatibility kit on the {@code local} transport and the machine's MariaDB.
 */
class LocalOnMariaDbTransportCompatibilityTests extends LocalTransportCompatibilityTests {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabases.localMariaDb();
    }

}
