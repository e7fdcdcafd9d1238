package dev.eventbus.testsupport;

/**
 * Child processes (brokers, servers, application instances) that must not outlive the JVM that
 * started them, also when it is stopped by a signal instead of closing them: a broker left behind
 * by an interrupted benchmark or test run would take the machine's CPU from the next one.
 */
final class ChildProcesses {

    private ChildProcesses() {
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

}
