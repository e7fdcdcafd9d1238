/**
 * The inventory service of the sample saga.
 */
@NullMarked
package dev.eventbus.samples.inventory;

import org.jspecify.annotations.NullMarked;
