package dev.eventbus.local;

import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;

/**
 * The transport compatibility kit on the {@code local} transport and an in-memory H2 database,
 * the set-up of many users' own tests.
 */
class LocalOnH2TransportCompatibilityTests extends LocalTransportCompatibilityTests {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabases.h2();
    }

}
