package dev.eventbus.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A main class of the current classpath running in a child JVM, for tests that must kill an
 * application instance abruptly and for measurements that need a JVM of their own. Its output
 * goes to a log file.
 */
public final class JavaProcess implements AutoCloseable {

    private final Process process;

    private final Path log;

    private JavaProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts a main class in a child JVM with the test's classpath.
     * @param mainClass the class to run
     * @param maxHeap the heap limit, such as {@code 256m}
     * @param arguments the program arguments
     * @return the running process
     */
    public static JavaProcess start(Class<?> mainClass, String maxHeap, List<String> arguments) {
        return start(mainClass, List.of("-Xmx" + maxHeap, "-XX:TieredStopAtLevel=1"), arguments);
    }

    /**
     * Starts a main class in a child JVM with the test's classpath and the given JVM options
     * only, for measurements that need the JVM's full compiler.
     * @param mainClass the class to run
     * @param jvmOptions the options of the JVM, such as {@code -Xmx256m}
     * @param arguments the program arguments
     * @return the running process
     */
    public static JavaProcess start(Class<?> mainClass, List<String> jvmOptions, List<String> arguments) {
        try {
            Path log = Files.createTempFile(mainClass.getSimpleName(), ".log");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(mainClass.getName());
            command.addAll(arguments);
            Process process = ChildProcesses.killedOnExit(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start());
            return new JavaProcess(process, log);
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot start " + mainClass.getName(), ex);
        }
    }

    /**
     * Waits until the process has written a line containing the given text.
     * @param text the text to wait for
     * @param timeout how long to wait at most
     */
    public void awaitOutput(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (output().contains(text)) {
                return;
            }
            if (!this.process.isAlive()) {
                throw new IllegalStateException("Process exited with " + this.process.exitValue() + " before writing '"
                        + text + "'; see " + this.log);
            }
            try {
                Thread.sleep(100);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }
        throw new IllegalStateException("Process did not write '" + text + "' within " + timeout + "; see " + this.log);
    }

    /**
     * Everything the process has written so far.
     * @return the output
     */
    public String output() {
        try {
            return Files.readString(this.log);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Kills the process with SIGKILL, giving it no chance to clean up, and waits until it is gone.
     */
    public void kill() {
        this.process.destroyForcibly();
        try {
            this.process.waitFor(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Asks the process to stop with SIGTERM, as {@code kill} does, and waits until it is gone.
     * @param timeout how long to wait at most
     * @return the exit code
     * @throws IllegalStateException if it still runs after the timeout
     */
    public int stop(Duration timeout) {
        this.process.destroy();
        try {
            if (this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return this.process.exitValue();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("Process did not stop within " + timeout + "; see " + this.log);
    }

    /**
     * Whether the process still runs.
     * @return {@code true} until it exits
     */
    public boolean isAlive() {
        return this.process.isAlive();
    }

    @Override
    public void close() {
        kill();
    }

}
