/**
 * Micrometer meters of eventbus, contributed only when the application has a MeterRegistry.
 */
@NullMarked
package dev.eventbus.metrics;

import org.jspecify.annotations.NullMarked;
