/**
 * The eventbus API: annotate events with {@link dev.eventbus.EventType}, publish them with
 * {@link dev.eventbus.EventPublisher}. Applications import only from this package.
 */
@NullMarked
package dev.eventbus;

import org.jspecify.annotations.NullMarked;
