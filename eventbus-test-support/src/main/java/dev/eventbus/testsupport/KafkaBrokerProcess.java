package dev.eventbus.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.jspecify.annotations.Nullable;

/**
 * A KRaft Kafka broker (combined broker and controller) running in a separate JVM from Apache
 * Kafka's own server classes, with its data in a directory of its own. It can be killed and started
 * again on the same port and data, as a real broker outage would do.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    private final Path directory;

    private final int port;

    private final int controllerPort;

    private final boolean autoCreateTopics;

    private @Nullable Process process;

    private KafkaBrokerProcess(Path directory, int port, int controllerPort, boolean autoCreateTopics) {
        this.directory = directory;
        this.port = port;
        this.controllerPort = controllerPort;
        this.autoCreateTopics = autoCreateTopics;
    }

    /**
     * Formats storage in a new temporary directory and starts a broker on free ports.
     * @return the running broker
     */
    public static KafkaBrokerProcess start() {
        return start(true);
    }

    /**
     * Formats storage in a new temporary directory and starts a broker on free ports.
     * @param autoCreateTopics whether the broker creates a topic when a client first uses it
     * @return the running broker
     */
    public static KafkaBrokerProcess start(boolean autoCreateTopics) {
        try {
            KafkaBrokerProcess broker = new KafkaBrokerProcess(Files.createTempDirectory("eventbus-kafka"), freePort(),
                    freePort(), autoCreateTopics);
            broker.format();
            broker.restart();
            return broker;
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot start a Kafka broker process", ex);
        }
    }

    /**
     * The broker's bootstrap servers.
     * @return host:port
     */
    public String bootstrapServers() {
        return "127.0.0.1:" + this.port;
    }

    /**
     * Kills the broker process at once, as a crash would.
     */
    public void kill() {
        Process running = this.process;
        if (running != null) {
            running.destroyForcibly();
            try {
                running.waitFor(30, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            this.process = null;
        }
    }

    /**
     * Starts the broker again on the same port and data, and waits until it serves requests.
     */
    public void restart() {
        kill();
        this.process = java("kafka.Kafka", serverProperties().toString());
        awaitReady(Duration.ofSeconds(60));
    }

    @Override
    public void close() {
        kill();
        deleteRecursively(this.directory.toFile());
    }

    private void format() {
        Process formatter = java("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c",
                serverProperties().toString(), "--standalone");
        try {
            if (!formatter.waitFor(60, TimeUnit.SECONDS) || formatter.exitValue() != 0) {
                throw new IllegalStateException("Formatting Kafka storage failed; see " + log());
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private Path serverProperties() {
        Path file = this.directory.resolve("server.properties");
        if (!Files.exists(file)) {
            String properties = String.join("\n", "process.roles=broker,controller", "node.id=1",
                    "controller.quorum.bootstrap.servers=127.0.0.1:" + this.controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + this.port + ",CONTROLLER://127.0.0.1:" + this.controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + this.port, "controller.listener.names=CONTROLLER",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "log.dirs=" + this.directory.resolve("data"), "num.partitions=3",
                    "offsets.topic.replication.factor=1", "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1", "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1", "group.initial.rebalance.delay.ms=0",
                    "auto.create.topics.enable=" + this.autoCreateTopics, "");
            try {
                Files.writeString(file, properties);
            }
            catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return file;
    }

    private Process java(String mainClass, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(arguments));
        try {
            return ChildProcesses.killedOnExit(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                .start());
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot start " + mainClass, ex);
        }
    }

    private Path log() {
        return this.directory.resolve("kafka.log");
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Process running = this.process;
            if (running == null || !running.isAlive()) {
                throw new IllegalStateException("The Kafka broker process exited; see " + log());
            }
            if (ChildProcesses.accepts(this.port, 500) && clusterAnswers()) {
                return;
            }
            sleep(200);
        }
        throw new IllegalStateException("The Kafka broker did not start within " + timeout + "; see " + log());
    }

    private boolean clusterAnswers() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                2000))) {
            return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
        }
        catch (Exception ex) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static void deleteRecursively(File file) {
        File[] children = file.listFiles();
        if (children != null) {
            for (File child : children) {
                deleteRecursively(child);
            }
        }
        file.delete();
    }

}
