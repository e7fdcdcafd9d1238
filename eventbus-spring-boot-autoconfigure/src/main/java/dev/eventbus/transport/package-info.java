/**
 * The transport SPI: the only place where a broker meets the core. A transport moves a relay
 * round's events to its broker ({@link dev.eventbus.transport.OutboxTransport}) and delivers
 * received messages in batches to the core's handlers ({@link dev.eventbus.transport.ConsumerTransport}),
 * acknowledging them only once the core reports them done; it offers a dead-letter sink and a
 * replay source. Lanes, rounds, deduplication, handler invocation, retries, dead-letter decisions,
 * metrics and health stay in the core.
 */
@NullMarked
package dev.eventbus.transport;

import org.jspecify.annotations.NullMarked;
