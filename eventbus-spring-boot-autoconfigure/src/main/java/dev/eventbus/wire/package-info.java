/**
 * The format on the wire: CloudEvents 1.0 in the Kafka protocol binding's binary content mode.
 */
@NullMarked
package dev.eventbus.wire;

import org.jspecify.annotations.NullMarked;
