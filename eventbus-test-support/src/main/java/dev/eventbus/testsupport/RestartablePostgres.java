package dev.eventbus.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jspecify.annotations.Nullable;

/**
 * A PostgreSQL server of its own, from the embedded binaries, that a test can stop and start again
 * on the same port and data, as a database outage would.
 */
public final class RestartablePostgres implements AutoCloseable {

    private final Path dataDirectory;

    private final int port;

    private @Nullable EmbeddedPostgres server;

    private RestartablePostgres(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    /**
     * Starts a new server on a free port with a new data directory.
     * @return the running server
     */
    public static RestartablePostgres start() {
        try (ServerSocket socket = new ServerSocket(0)) {
            RestartablePostgres postgres = new RestartablePostgres(Files.createTempDirectory("eventbus-postgres"),
                    socket.getLocalPort());
            socket.close();
            postgres.restart();
            return postgres;
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot start PostgreSQL", ex);
        }
    }

    /**
     * The {@code postgres} database of this server.
     * @return the database; closing it does nothing
     */
    public TestDatabase database() {
        return new TestDatabase("restartable PostgreSQL", "jdbc:postgresql://127.0.0.1:" + this.port + "/postgres",
                "postgres", "", () -> {
                });
    }

    /**
     * Stops the server; clients see their connections fail.
     */
    public void stop() {
        EmbeddedPostgres running = this.server;
        if (running != null) {
            try {
                running.close();
            }
            catch (IOException ex) {
                throw new IllegalStateException("Cannot stop PostgreSQL", ex);
            }
            this.server = null;
        }
    }

    /**
     * Starts the server again on the same port and data.
     */
    public void restart() {
        stop();
        try {
            this.server = EmbeddedPostgres.builder()
                .setPort(this.port)
                .setDataDirectory(this.dataDirectory)
                .setCleanDataDirectory(false)
                .start();
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot start PostgreSQL on port " + this.port, ex);
        }
    }

    @Override
    public void close() {
        stop();
    }

}
