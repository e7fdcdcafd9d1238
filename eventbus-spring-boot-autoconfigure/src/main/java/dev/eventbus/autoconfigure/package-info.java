/**
 * Spring Boot auto-configuration and configuration properties of eventbus.
 */
@NullMarked
package dev.eventbus.autoconfigure;

import org.jspecify.annotations.NullMarked;
