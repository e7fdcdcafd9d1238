package dev.eventbus.testsupport;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChildProcessesTests {

    @Test
    void childOfAJvmStoppedBySigtermDoesNotOutliveIt() throws Exception {
        String classPath = location(ChildProcesses.class) + ":" + location(ChildProcessesTests.class);
        Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                classPath, Parent.class.getName())
            .redirectErrorStream(true)
            .start();
        try {
            long childPid;
            try (BufferedReader output = new BufferedReader(
                    new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
                childPid = Long.parseLong(output.readLine().trim());
            }
            ProcessHandle child = ProcessHandle.of(childPid).orElseThrow();
            assertThat(child.isAlive()).isTrue();

            parent.destroy();

            assertThat(parent.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
        }
        finally {
            parent.destroyForcibly();
        }
    }

    private static String location(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    /**
     * Starts a long {@code sleep} as its child, prints the child's pid, and waits to be stopped.
     */
    public static final class Parent {

        public static void main(String[] args) throws Exception {
            Process sleep = ChildProcesses.killedOnExit(new ProcessBuilder("sleep", "300").start());
            System.out.println(sleep.pid());
            System.out.flush();
            Thread.sleep(300_000);
        }

    }

}
