package dev.eventbus.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * A private NATS server with JetStream, started from the machine's {@code nats-server} on a free
 * port with a store directory of its own, so that a test can kill it and start it again without
 * touching the machine's shared server on 4222. Streams, consumers and stored messages survive a
 * kill, as on a real outage.
 */
public final class NatsServerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Path directory;

    private final int port;

    private @Nullable Process process;

    private NatsServerProcess(Path directory, int port) {
        this.directory = directory;
        this.port = port;
    }

    /**
     * Starts a server on a free port in a new temporary directory.
     * @return the running server
     */
    public static NatsServerProcess start() {
        return start("");
    }

    /**
     * Starts a server on a free port in a new temporary directory, with more configuration.
     * @param configuration the text of a {@code nats-server} configuration file, such as an
     * {@code authorization} block
     * @return the running server
     */
    public static NatsServerProcess start(String configuration) {
        try (ServerSocket socket = new ServerSocket(0)) {
            NatsServerProcess server = new NatsServerProcess(Files.createTempDirectory("eventbus-nats"),
                    socket.getLocalPort());
            socket.close();
            server.configure(configuration);
            server.restart();
            return server;
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot start a NATS server", ex);
        }
    }

    /**
     * Replaces the server's configuration and has the running server reload it, as
     * {@code nats-server --signal reload} does; permissions change for connected clients too, and
     * JetStream keeps running.
     * @param configuration the new text of the configuration file
     */
    public synchronized void reload(String configuration) {
        Process running = this.process;
        if (running == null) {
            throw new IllegalStateException("The NATS server is not running");
        }
        try {
            long reloadsBefore = reloads();
            configure(configuration);
            Process signal = new ProcessBuilder("kill", "-HUP", Long.toString(running.pid())).start();
            if (signal.waitFor() != 0) {
                throw new IllegalStateException("Cannot signal the NATS server to reload");
            }
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (reloads() == reloadsBefore) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("nats-server did not reload its configuration; see "
                            + this.directory.resolve("server.log"));
                }
                sleep(50);
            }
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot reload the NATS server", ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private long reloads() throws IOException {
        try (Stream<String> lines = Files.lines(this.directory.resolve("server.log"))) {
            return lines.filter((line) -> line.contains("Reloaded server configuration")).count();
        }
    }

    private Path configurationFile() {
        return this.directory.resolve("server.conf");
    }

    private void configure(String configuration) throws IOException {
        String jetStream = "jetstream { store_dir: \"" + this.directory.resolve("store") + "\" }\n";
        Files.writeString(configurationFile(), jetStream + configuration);
    }

    /**
     * The server's URL.
     * @return {@code nats://127.0.0.1:<port>}
     */
    public String url() {
        return "nats://127.0.0.1:" + this.port;
    }

    /**
     * Starts the server, again on the same port and store after {@link #kill()}, and waits until
     * it accepts connections.
     */
    public synchronized void restart() {
        if (this.process != null && this.process.isAlive()) {
            return;
        }
        try {
            this.process = ChildProcesses.killedOnExit(new ProcessBuilder("nats-server", "-c",
                    configurationFile().toString(), "-a", "127.0.0.1", "-p", Integer.toString(this.port))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("server.log").toFile()))
                .start());
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot run nats-server", ex);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!ChildProcesses.accepts(this.port, 200)) {
            if (System.nanoTime() > deadline || !this.process.isAlive()) {
                kill();
                throw new IllegalStateException("nats-server did not start; see " + this.directory.resolve("server.log"));
            }
            sleep(100);
        }
    }

    /**
     * Kills the server with SIGKILL, as a crash would, and waits until it is gone.
     */
    public synchronized void kill() {
        Process running = this.process;
        if (running == null) {
            return;
        }
        running.destroyForcibly();
        try {
            running.waitFor();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        this.process = null;
    }

    /**
     * Kills the server and deletes its directory.
     */
    @Override
    public void close() {
        kill();
        ChildProcesses.deleteQuietly(this.directory);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for nats-server", ex);
        }
    }

}
