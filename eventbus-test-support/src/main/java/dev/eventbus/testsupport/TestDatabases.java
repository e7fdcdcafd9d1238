package dev.eventbus.testsupport;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * Creates a fresh database per test run on a real server: the embedded PostgreSQL started from
 * Maven artifacts, or the PostgreSQL and MariaDB servers the machine runs on their standard ports.
 * When a machine server is unreachable the test is skipped with a message saying why, unless the
 * environment variable {@value #REQUIRE_LOCAL_DATABASES} is {@code true}, as in CI, where it fails.
 */
public final class TestDatabases {

    /** Set to {@code true} to fail rather than skip tests whose machine database is unreachable. */
    public static final String REQUIRE_LOCAL_DATABASES = "EVENTBUS_REQUIRE_LOCAL_DATABASES";

    private static final String LOCAL_POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";

    private static final String LOCAL_MARIADB = "jdbc:mariadb://127.0.0.1:3306/";

    private static @Nullable EmbeddedPostgres embeddedPostgres;

    private TestDatabases() {
    }

    /**
     * A new database on the embedded PostgreSQL server, which starts on first use and stops when the
     * JVM exits.
     * @return the database
     */
    public static synchronized TestDatabase embeddedPostgres() {
        if (embeddedPostgres == null) {
            try {
                EmbeddedPostgres started = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(started)));
                embeddedPostgres = started;
            }
            catch (IOException ex) {
                throw new IllegalStateException("Cannot start the embedded PostgreSQL server", ex);
            }
        }
        String name = uniqueName();
        EmbeddedPostgres server = embeddedPostgres;
        TestDatabase.execute(server.getPostgresDatabase(), "CREATE DATABASE " + name);
        return new TestDatabase("embedded PostgreSQL", server.getJdbcUrl("postgres", name), "postgres", "",
                () -> TestDatabase.execute(server.getPostgresDatabase(), "DROP DATABASE IF EXISTS " + name
                        + " WITH (FORCE)"));
    }

    /**
     * Stops the embedded PostgreSQL server, if it runs, before the JVM exits: for a caller that
     * must stop what uses it first.
     */
    public static synchronized void stopEmbeddedPostgres() {
        if (embeddedPostgres != null) {
            closeQuietly(embeddedPostgres);
            embeddedPostgres = null;
        }
    }

    /**
     * A new database on the machine's PostgreSQL server on 127.0.0.1:5432.
     * @return the database
     */
    public static TestDatabase localPostgres() {
        String user = firstReachableUser(LOCAL_POSTGRES + "postgres", "postgres", "root");
        String name = uniqueName();
        execute(LOCAL_POSTGRES + "postgres", user, "CREATE DATABASE " + name);
        return new TestDatabase("PostgreSQL on 127.0.0.1:5432", LOCAL_POSTGRES + name, user, "",
                () -> execute(LOCAL_POSTGRES + "postgres", user, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
    }

    /**
     * A new database on the machine's MariaDB server on 127.0.0.1:3306.
     * @return the database
     */
    public static TestDatabase localMariaDb() {
        String user = firstReachableUser(LOCAL_MARIADB, "root");
        String name = uniqueName();
        execute(LOCAL_MARIADB, user, "CREATE DATABASE " + name);
        return new TestDatabase("MariaDB on 127.0.0.1:3306", LOCAL_MARIADB + name, user, "",
                () -> execute(LOCAL_MARIADB, user, "DROP DATABASE IF EXISTS " + name));
    }

    /**
     * A new in-memory H2 database.
     * @return the database
     */
    public static TestDatabase h2() {
        String name = uniqueName();
        String url = "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
        return new TestDatabase("H2", url, "sa", "", () -> execute(url, "sa", "SHUTDOWN"));
    }

    private static String firstReachableUser(String url, String... users) {
        SQLException last = null;
        for (String user : users) {
            try (Connection connection = DriverManager.getConnection(url, user, "")) {
                return user;
            }
            catch (SQLException ex) {
                last = ex;
            }
        }
        String reason = "No database reachable at " + url + " (" + ((last != null) ? last.getMessage() : "") + ")";
        if (Boolean.parseBoolean(System.getenv(REQUIRE_LOCAL_DATABASES))) {
            throw new IllegalStateException(reason + " but " + REQUIRE_LOCAL_DATABASES + " is true");
        }
        Assumptions.abort(reason + "; skipping. Set " + REQUIRE_LOCAL_DATABASES + "=true to fail instead.");
        throw new IllegalStateException(reason);
    }

    private static void execute(String url, String user, String sql) {
        try (Connection connection = DriverManager.getConnection(url, user, "");
                var statement = connection.createStatement()) {
            statement.execute(sql);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot run '" + sql + "' on " + url + ": " + ex.getMessage(), ex);
        }
    }

    private static String uniqueName() {
        return "eventbus_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
    }

    private static void closeQuietly(EmbeddedPostgres server) {
        try {
            server.close();
        }
        catch (IOException ex) {
            // the JVM is exiting
        }
    }

}
