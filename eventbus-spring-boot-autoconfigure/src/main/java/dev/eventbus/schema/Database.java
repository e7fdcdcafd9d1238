package dev.eventbus.schema;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

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
     * A point in time as a statement parameter of a timestamp column. MySQL's {@code DATETIME}
     * has no zone, so it gets the time in UTC, never in the JVM's zone, which would skew lag,
     * health and retention between instances in different zones and across daylight saving time.
     * @param instant the point in time
     * @return the parameter value
     */
    public Object timestamp(Instant instant) {
        return (this == MYSQL) ? LocalDateTime.ofInstant(instant, ZoneOffset.UTC) : Timestamp.from(instant);
    }

    /**
     * An SQL expression of the database's current time plus a duration, for a timestamp column
     * written with {@link #timestamp(Instant)}: for times that several instances compare, so that
     * their clocks' skew does not matter.
     * @param duration the duration added, zero or more
     * @return the expression, with no parameters
     */
    public String nowPlus(Duration duration) {
        long millis = duration.toMillis();
        return switch (this) {
            case POSTGRESQL -> "(CURRENT_TIMESTAMP + INTERVAL '" + millis + " milliseconds')";
            case MYSQL -> "TIMESTAMPADD(MICROSECOND, " + (millis * 1000) + ", UTC_TIMESTAMP(6))";
            case H2 -> "TIMESTAMPADD(MILLISECOND, " + millis + ", CURRENT_TIMESTAMP)";
        };
    }

    /**
     * Reads a timestamp column written with {@link #timestamp(Instant)}.
     * @param resultSet the row
     * @param column the column label
     * @return the point in time, or {@code null} for SQL {@code NULL}
     * @throws SQLException if the column cannot be read
     */
    public @Nullable Instant instant(ResultSet resultSet, String column) throws SQLException {
        if (this == MYSQL) {
            LocalDateTime utc = resultSet.getObject(column, LocalDateTime.class);
            return (utc != null) ? utc.toInstant(ZoneOffset.UTC) : null;
        }
        Timestamp timestamp = resultSet.getTimestamp(column);
        return (timestamp != null) ? timestamp.toInstant() : null;
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
