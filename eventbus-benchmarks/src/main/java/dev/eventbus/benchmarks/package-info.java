/**
 * Benchmarks of eventbus, run from a main method, never as timed tests.
 */
@NullMarked
package dev.eventbus.benchmarks;

import org.jspecify.annotations.NullMarked;
