package dev.eventbus.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A private RabbitMQ node of the machine's {@code rabbitmq-server}, with a name, port,
 * configuration and data directory of its own, so that a test can kill it and start it again
 * without touching the machine's shared node on 5672. Durable queues and persistent messages
 * survive a kill, as on a real outage.
 */
public final class RabbitBrokerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path directory;

    private final String nodeName;

    private final int port;

    private final int distributionPort;

    private @Nullable Process process;

    private RabbitBrokerProcess(Path directory, int port, int distributionPort) {
        this.directory = directory;
        this.nodeName = "eventbus-" + UUID.randomUUID().toString().substring(0, 8) + "@localhost";
        this.port = port;
        this.distributionPort = distributionPort;
    }

    /**
     * Starts a node on free ports in a new temporary directory.
     * @return the running node
     */
    public static RabbitBrokerProcess start() {
        return start("");
    }

    /**
     * Starts a node on free ports in a new temporary directory, with more configuration.
     * @param configuration lines of {@code rabbitmq.conf}, such as {@code max_message_size = 65536}
     * @return the running node
     */
    public static RabbitBrokerProcess start(String configuration) {
        try {
            Path directory = Files.createTempDirectory("eventbus-rabbitmq");
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
            RabbitBrokerProcess broker = new RabbitBrokerProcess(directory, freePort(), freePort());
            Files.writeString(directory.resolve("rabbitmq.conf"),
                    "listeners.tcp.local = 127.0.0.1:" + broker.port + "\n" + configuration + "\n");
            Files.writeString(directory.resolve("enabled_plugins"), "[].\n");
            Files.writeString(directory.resolve("rabbitmq-env.conf"), "ERL_EPMD_ADDRESS=127.0.0.1\n");
            broker.restart();
            return broker;
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot start a RabbitMQ node", ex);
        }
    }

    /**
     * The node's AMQP port on 127.0.0.1 (user guest, password guest).
     * @return the port
     */
    public int port() {
        return this.port;
    }

    /**
     * Starts the node, again on the same port and data after {@link #kill()}, and waits until it
     * accepts connections.
     */
    public synchronized void restart() {
        if (this.process != null && this.process.isAlive()) {
            return;
        }
        ProcessBuilder builder = new ProcessBuilder("rabbitmq-server").directory(this.directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(this.directory.resolve("server.log").toFile());
        Map<String, String> environment = builder.environment();
        environment.put("RABBITMQ_NODENAME", this.nodeName);
        environment.put("RABBITMQ_NODE_PORT", Integer.toString(this.port));
        environment.put("RABBITMQ_DIST_PORT", Integer.toString(this.distributionPort));
        environment.put("RABBITMQ_MNESIA_BASE", this.directory.resolve("mnesia").toString());
        environment.put("RABBITMQ_LOG_BASE", this.directory.resolve("log").toString());
        environment.put("RABBITMQ_CONFIG_FILE", this.directory.resolve("rabbitmq.conf").toString());
        environment.put("RABBITMQ_CONF_ENV_FILE", this.directory.resolve("rabbitmq-env.conf").toString());
        environment.put("RABBITMQ_ENABLED_PLUGINS_FILE", this.directory.resolve("enabled_plugins").toString());
        try {
            this.process = ChildProcesses.killedOnExit(builder.start());
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot run rabbitmq-server", ex);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!ChildProcesses.accepts(this.port, 200)) {
            if (System.nanoTime() > deadline || !this.process.isAlive()) {
                kill();
                throw new IllegalStateException("RabbitMQ node " + this.nodeName + " did not start; see "
                        + this.directory.resolve("server.log"));
            }
            sleep(200);
        }
    }

    /**
     * Kills the node's processes with SIGKILL, as a crash would, and waits until they are gone.
     */
    public synchronized void kill() {
        Process running = this.process;
        if (running == null) {
            return;
        }
        List<ProcessHandle> processes = running.descendants().toList();
        processes.forEach(ProcessHandle::destroyForcibly);
        running.destroyForcibly();
        processes.forEach((handle) -> handle.onExit().join());
        try {
            running.waitFor();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        while (ChildProcesses.accepts(this.port, 200)) {
            sleep(100);
        }
        this.process = null;
    }

    /**
     * Kills the node and deletes its directory.
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
            throw new IllegalStateException("Interrupted while waiting for RabbitMQ", ex);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

}
