/**
 * The demo: the starter against a real PostgreSQL and a real KRaft broker, started from Maven
 * artifacts without Docker.
 */
@NullMarked
package dev.eventbus.demo;

import org.jspecify.annotations.NullMarked;
