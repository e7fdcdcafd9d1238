/**
 * The consuming side, the same for every transport: {@code @EventHandler} discovery, one
 * subscription per consumer group and topic, CloudEvents decoding, the processed-event table,
 * retries and dead-letter decisions.
 */
@NullMarked
package dev.eventbus.consumer;

import org.jspecify.annotations.NullMarked;
