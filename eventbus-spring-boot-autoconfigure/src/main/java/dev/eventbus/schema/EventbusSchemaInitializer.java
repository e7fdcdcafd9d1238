package dev.eventbus.schema;

import org.springframework.beans.factory.InitializingBean;

/**
 * Runs eventbus's migrations when the application starts, after the application's own database
 * initialization (Flyway, Liquibase, SQL scripts) and before eventbus uses its tables.
 */
public class EventbusSchemaInitializer implements InitializingBean {

    private final EventbusSchemaMigrator migrator;

    private boolean migrated;

    /**
     * Creates the initializer.
     * @param migrator runs the migrations
     */
    public EventbusSchemaInitializer(EventbusSchemaMigrator migrator) {
        this.migrator = migrator;
    }

    @Override
    public void afterPropertiesSet() {
        ensureMigrated();
    }

    /**
     * Runs the migrations unless this initializer already ran them.
     */
    public synchronized void ensureMigrated() {
        if (!this.migrated) {
            this.migrator.migrate();
            this.migrated = true;
        }
    }

}
