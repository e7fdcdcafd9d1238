package dev.eventbus.local;

import dev.eventbus.kit.AbstractTransportCompatibilityTests;
import dev.eventbus.kit.KitTransport;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;
import org.junit.jupiter.api.AfterAll;

/**
 * The transport compatibility kit on the {@code local} transport and PostgreSQL.
 */
class LocalTransportCompatibilityTests extends AbstractTransportCompatibilityTests {

    /**
     * A new database for this test class.
     * @return the database
     */
    protected TestDatabase newDatabase() {
        return TestDatabases.embeddedPostgres();
    }

    private TestDatabase database;

    private LocalKitTransport transport;

    @Override
    protected TestDatabase createDatabase() {
        this.database = newDatabase();
        return this.database;
    }

    @Override
    protected KitTransport transport() {
        this.transport = new LocalKitTransport(this.database);
        return this.transport;
    }

    @AfterAll
    void closeTransport() {
        if (this.transport != null) {
            this.transport.close();
        }
    }

}
