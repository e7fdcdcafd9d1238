/**
 * The {@code eventbus} Actuator endpoint.
 */
@NullMarked
package dev.eventbus.actuate;

import org.jspecify.annotations.NullMarked;
