package dev.eventbus.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

import javax.sql.DataSource;

import org.springframework.dao.DataAccessResourceFailureException;

/**
 * The databases eventbus ships migrations and SQL for.
 */
public enum Database {

    /** PostgreSQL, the primary database. */
    POSTGRESQL("postgresql"),

    /** MySQL 8 and MariaDB 10.6 or later. */
    MYSQL("mysql"),

    /** H2, for tests and small applications. */
    H2("h2");

    private final String migrationFolder;

    Database(String migrationFolder) {
        this.migrationFolder = migrationFolder;
    }

    /**
     * The classpath location of this database's Flyway migrations.
     * @return a {@code classpath:} location
     */
    public String migrationLocation() {
        return "classpath:db/eventbus/" + this.migrationFolder;
    }

    /**
     * Detects the database behind a data source from its JDBC metadata.
     * @param dataSource the application's data source
     * @return the database, never {@code null}
     * @throws IllegalStateException if the database is not supported
     */
    public static Database of(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return ofProductName(connection.getMetaData().getDatabaseProductName());
        }
        catch (SQLException ex) {
            throw new DataAccessResourceFailureException("Cannot read the database product name", ex);
        }
    }

    static Database ofProductName(String productName) {
        String name = productName.toLowerCase(Locale.ROOT);
        if (name.contains("postgres")) {
            return POSTGRESQL;
        }
        if (name.contains("mysql") || name.contains("mariadb")) {
            return MYSQL;
        }
        if (name.equals("h2")) {
            return H2;
        }
        throw new IllegalStateException("eventbus supports PostgreSQL, MySQL, MariaDB and H2, not " + productName);
    }

}
