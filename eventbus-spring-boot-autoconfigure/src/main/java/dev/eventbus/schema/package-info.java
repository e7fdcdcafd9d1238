/**
 * The starter's own tables, created by Flyway migrations with their own history table.
 */
@NullMarked
package dev.eventbus.schema;

import org.jspecify.annotations.NullMarked;
