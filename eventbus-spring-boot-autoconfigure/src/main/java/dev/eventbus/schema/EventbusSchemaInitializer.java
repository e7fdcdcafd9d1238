package dev.eventbus.schema;

import org.springframework.beans.factory.InitializingBean;

/**
 * Runs eventbus's migrations when the application starts, before any bean that depends on
 * database initialization.
 */
public class EventbusSchemaInitializer implements InitializingBean {

    private final EventbusSchemaMigrator migrator;

    public EventbusSchemaInitializer(EventbusSchemaMigrator migrator) {
        this.migrator = migrator;
    }

    @Override
    public void afterPropertiesSet() {
        this.migrator.migrate();
    }

}
