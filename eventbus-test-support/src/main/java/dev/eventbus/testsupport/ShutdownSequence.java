package dev.eventbus.testsupport;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One JVM shutdown hook that stops what runs in this JVM in order: applications first, then the
 * brokers and databases they use. Shutdown hooks of their own would run all at once, stopping a
 * database under applications that still write to it.
 */
public final class ShutdownSequence {

    /** The phase of applications, which stop first. */
    public static final int APPLICATIONS = 0;

    /** The phase of brokers, which stop after the applications. */
    public static final int BROKERS = 1;

    /** The phase of databases, which stop last. */
    public static final int DATABASES = 2;

    private static final List<Step> steps = new ArrayList<>();

    private static boolean hooked;

    private ShutdownSequence() {
    }

    /**
     * Runs an action when the JVM shuts down, after the actions of earlier phases ended.
     * @param phase {@link #APPLICATIONS}, {@link #BROKERS} or {@link #DATABASES}
     * @param name what is stopped, for the log
     * @param action the action; a failure is printed and the next action runs
     */
    public static synchronized void add(int phase, String name, Runnable action) {
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(new Thread(ShutdownSequence::run, "eventbus-shutdown-sequence"));
            hooked = true;
        }
        steps.add(new Step(phase, name, action));
    }

    private static void run() {
        List<Step> ordered;
        synchronized (ShutdownSequence.class) {
            ordered = new ArrayList<>(steps);
        }
        ordered.sort(Comparator.comparingInt(Step::phase));
        for (Step step : ordered) {
            try {
                step.action().run();
            }
            catch (RuntimeException ex) {
                System.err.println("Stopping " + step.name() + " failed: " + ex);
            }
        }
    }

    private record Step(int phase, String name, Runnable action) {
    }

}
