/**
 * The RabbitMQ transport, on Spring AMQP and Spring Boot's {@code spring.rabbitmq.*}: topic
 * {@code T} is a durable direct exchange, its partitions are routing keys {@code "0"}…, a consumer
 * group's partition {@code p} is the queue {@code T.G.p} with a single active consumer. The relay
 * publishes persistent, mandatory messages with correlated publisher confirms; dead letters go to
 * the queue {@code T-dlt}.
 */
@NullMarked
package dev.eventbus.rabbitmq;

import org.jspecify.annotations.NullMarked;
