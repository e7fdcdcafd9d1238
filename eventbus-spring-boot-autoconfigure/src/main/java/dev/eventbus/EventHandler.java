package dev.eventbus;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a bean as the handler of one {@link EventType event type}. The first parameter
 * is the event; an optional second parameter of type {@link EventMetadata} receives its metadata.
 * <p>
 * Each event is handled once per consumer group in effect: the handler runs in a database
 * transaction that also records the event id, so a redelivered event is skipped and the handler's
 * own writes commit or roll back with that record. A handler that throws is retried with backoff;
 * after the last attempt the message goes to the dead letters and the consumer moves on.
 *
 * @since 0.1.0
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface EventHandler {

    /**
     * The consumer group; empty for {@code eventbus.consumer.group}.
     * @return the group name, or empty
     */
    String group() default "";

}
