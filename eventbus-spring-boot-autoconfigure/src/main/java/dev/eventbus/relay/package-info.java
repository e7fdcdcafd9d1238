/**
 * The read side: claims pending outbox rows lane by lane and hands them to the transport, keeping
 * per-key order across any number of instances, and marks what the broker acknowledged.
 */
@NullMarked
package dev.eventbus.relay;

import org.jspecify.annotations.NullMarked;
