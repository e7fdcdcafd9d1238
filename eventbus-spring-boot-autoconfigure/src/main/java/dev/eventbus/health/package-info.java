/**
 * The eventbus health indicator.
 */
@NullMarked
package dev.eventbus.health;

import org.jspecify.annotations.NullMarked;
