/**
 * The NATS JetStream transport, on {@code io.nats:jnats}: topic {@code T} is the stream {@code T}
 * (dots replaced by underscores) with subjects {@code T.<p>}; the relay publishes asynchronously
 * with {@code Nats-Msg-Id} = event id; consumer group {@code G} reads partition {@code p} through
 * the durable pull consumer {@code G-<p>}, fetched only by the instance that holds the partition's
 * lease in a key-value bucket (NATS 2.9 has no pinned consumers); dead letters go to the stream
 * {@code <stream>-dlt}. Connected with {@code eventbus.nats.*} or the application's own
 * {@code Connection} bean.
 */
@NullMarked
package dev.eventbus.nats;

import org.jspecify.annotations.NullMarked;
