package dev.eventbus.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * A database created for one test run, dropped when closed.
 *
 * @param name what it is, for test names and messages
 * @param jdbcUrl the JDBC URL of the database
 * @param username the user
 * @param password the password, possibly empty
 * @param dropper drops the database
 */
public record TestDatabase(String name, String jdbcUrl, String username, String password, Runnable dropper)
        implements AutoCloseable {

    /**
     * A new pooled data source for this database; the caller closes it.
     * @return the data source
     */
    public HikariDataSource createDataSource() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(this.jdbcUrl);
        config.setUsername(this.username);
        config.setPassword(this.password);
        config.setMaximumPoolSize(5);
        return new HikariDataSource(config);
    }

    /**
     * The {@code spring.datasource.*} properties of this database.
     * @return property names and values
     */
    public Map<String, String> springProperties() {
        return Map.of("spring.datasource.url", this.jdbcUrl, "spring.datasource.username", this.username,
                "spring.datasource.password", this.password);
    }

    /**
     * The same properties as command-line arguments, {@code --name=value}.
     * @return the arguments, a new mutable list
     */
    public List<String> commandLineArguments() {
        List<String> arguments = new ArrayList<>();
        springProperties().forEach((name, value) -> arguments.add("--" + name + "=" + value));
        return arguments;
    }

    @Override
    public void close() {
        this.dropper.run();
    }

    static void execute(DataSource dataSource, String sql) {
        try (var connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            statement.execute(sql);
        }
        catch (java.sql.SQLException ex) {
            throw new IllegalStateException("Cannot run '" + sql + "': " + ex.getMessage(), ex);
        }
    }

}
