/**
 * The write side: events validated and serialized at publish time and stored in the outbox table
 * as one JDBC batch just before the publishing transaction commits.
 */
@NullMarked
package dev.eventbus.outbox;

import org.jspecify.annotations.NullMarked;
