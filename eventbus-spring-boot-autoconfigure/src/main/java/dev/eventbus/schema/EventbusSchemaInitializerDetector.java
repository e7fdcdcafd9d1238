package dev.eventbus.schema;

import java.util.Set;

import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;

/**
 * Lets Spring Boot order beans that depend on database initialization after eventbus's
 * migrations.
 */
class EventbusSchemaInitializerDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {

    @Override
    protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
        return Set.of(EventbusSchemaInitializer.class);
    }

}
