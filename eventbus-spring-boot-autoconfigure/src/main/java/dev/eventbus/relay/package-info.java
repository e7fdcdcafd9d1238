/**
 * The read side: claims pending outbox rows lane by lane and sends them to Kafka as CloudEvents,
 * keeping per-key order across any number of instances.
 */
@NullMarked
package dev.eventbus.relay;

import org.jspecify.annotations.NullMarked;
