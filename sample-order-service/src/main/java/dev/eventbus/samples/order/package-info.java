/**
 * The order service of the sample saga.
 */
@NullMarked
package dev.eventbus.samples.order;

import org.jspecify.annotations.NullMarked;
