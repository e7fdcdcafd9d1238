/**
 * The Kafka transport, on spring-kafka and Spring Boot's Kafka support: the relay's idempotent
 * producer, listener containers created through Boot's container factory configurer, dead letters
 * with spring-kafka's {@code DeadLetterPublishingRecoverer}, replay, and its auto-configuration.
 */
@NullMarked
package dev.eventbus.kafka;

import org.jspecify.annotations.NullMarked;
