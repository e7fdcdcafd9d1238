/**
 * The broker-free {@code local} transport: the database is the broker. A relay round appends its
 * events to a log table in the round's own transaction, one partition per outbox lane, and this
 * application's consumers read each partition from their group's cursor, which a lease gives to
 * one instance at a time. Dead letters are kept in a table and replayed into the log.
 */
@NullMarked
package dev.eventbus.local;

import org.jspecify.annotations.NullMarked;
