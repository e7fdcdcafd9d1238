/**
 * Real infrastructure for tests and the demo without Docker: embedded PostgreSQL binaries, the
 * machine's own PostgreSQL and MariaDB, and KRaft Kafka brokers in-process or as a separate process.
 */
@NullMarked
package dev.eventbus.testsupport;

import org.jspecify.annotations.NullMarked;
