/**
 * The contract on the wire, the same for every transport: event types and their registry, topic
 * routing, partitions of a topic, and the attributes of the CloudEvents 1.0 envelope. Each
 * transport maps the envelope to its protocol binding.
 */
@NullMarked
package dev.eventbus.wire;

import org.jspecify.annotations.NullMarked;
