package dev.eventbus.benchmarks;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Repeats a scenario's runs before it is measured until the JIT compiler has settled: each run
 * starts new application contexts in this JVM, and on two cores the compiler threads take up to a
 * third of the machine during the first runs, which a long-running service does not pay.
 */
final class CompilerWarmUp {

    private static final int MIN_RUNS = 3;

    private static final int MAX_RUNS = 5;

    private static final CompilationMXBean COMPILER = ManagementFactory.getCompilationMXBean();

    private CompilerWarmUp() {
    }

    /**
     * Runs at least {@value #MIN_RUNS} and at most {@value #MAX_RUNS} times, until the compiler's
     * time for one run falls by less than a tenth from the run before.
     * @param name what is warmed up, for the output
     * @param run one warm-up run, numbered from 1, returning its figures for the output
     */
    static void repeat(String name, Run run) throws Exception {
        long previous = Long.MAX_VALUE;
        for (int number = 1; number <= MAX_RUNS; number++) {
            long before = millis();
            String figures = run.run(number);
            long compiled = millis() - before;
            System.out.printf("  warm-up %d of %s: %s, JIT compiler busy for %,d ms%n", number, name, figures,
                    compiled);
            if (number >= MIN_RUNS && compiled > 0.9 * previous) {
                return;
            }
            previous = compiled;
        }
    }

    /**
     * How long this JVM's JIT compiler has worked so far.
     * @return milliseconds
     */
    static long millis() {
        return COMPILER.getTotalCompilationTime();
    }

    /**
     * One warm-up run.
     */
    @FunctionalInterface
    interface Run {

        String run(int number) throws Exception;

    }

}
