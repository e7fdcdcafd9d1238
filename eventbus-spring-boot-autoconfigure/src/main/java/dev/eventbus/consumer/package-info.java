/**
 * The consuming side: {@code @EventHandler} discovery, listener containers per topic and group,
 * CloudEvents decoding, the processed-event table, retries and dead-letter publishing.
 */
@NullMarked
package dev.eventbus.consumer;

import org.jspecify.annotations.NullMarked;
