/**
 * The demo: the sample order and inventory services against a real PostgreSQL and a real KRaft
 * broker, started from Maven artifacts without Docker, and a scripted saga scenario.
 */
@NullMarked
package dev.eventbus.demo;

import org.jspecify.annotations.NullMarked;
