package dev.eventbus.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Child processes (brokers, servers, application instances) that must not outlive the JVM that
 * started them, also when it is stopped by a signal instead of closing them: a broker left behind
 * by an interrupted benchmark or test run would take the machine's CPU from the next one.
 */
final class ChildProcesses {

    private ChildProcesses() {
    }

    /**
     * Whether something on this machine accepts connections on a port.
     * @param port the port on 127.0.0.1
     * @param timeoutMillis how long to try to connect
     * @return {@code true} if a connection was made
     */
    static boolean accepts(int port, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

    /**
     * Kills a process, and the processes it started, when this JVM exits.
     * @param process a process just started
     * @return the process
     */
    static Process killedOnExit(Process process) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }, "eventbus-child-" + process.pid()));
        return process;
    }

    /**
     * Deletes the directory a stopped child process kept its data, logs and configuration in;
     * what cannot be deleted stays.
     * @param directory the directory
     */
    static void deleteQuietly(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
        }
        catch (IOException | UncheckedIOException ex) {
            // left for the system's temporary-file cleanup
        }
    }

}
