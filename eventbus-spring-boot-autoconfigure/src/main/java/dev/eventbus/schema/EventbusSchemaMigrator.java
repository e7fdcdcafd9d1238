package dev.eventbus.schema;

import java.util.Map;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Creates and upgrades eventbus's tables with its own Flyway migrations and history table, so they
 * never collide with the application's own Flyway migrations.
 */
public class EventbusSchemaMigrator {

    private final DataSource dataSource;

    private final Database database;

    private final EventbusTables tables;

    /**
     * Creates a migrator.
     * @param dataSource the database
     * @param database which migration scripts to use
     * @param tables the table names, passed to the scripts as the {@code prefix} placeholder
     */
    public EventbusSchemaMigrator(DataSource dataSource, Database database, EventbusTables tables) {
        this.dataSource = dataSource;
        this.database = database;
        this.tables = tables;
    }

    /**
     * Applies the pending migrations.
     * @return the number of migrations applied
     */
    public int migrate() {
        MigrateResult result = Flyway.configure(getClass().getClassLoader())
            .dataSource(this.dataSource)
            .locations(this.database.migrationLocation())
            .table(this.tables.schemaHistory())
            .placeholders(Map.of("prefix", this.tables.prefix()))
            .baselineOnMigrate(true)
            .baselineVersion("0")
            .load()
            .migrate();
        return result.migrationsExecuted;
    }

}
