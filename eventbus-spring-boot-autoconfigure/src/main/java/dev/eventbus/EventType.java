package dev.eventbus;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class as an event that can be published through {@link EventPublisher} and handled by
 * {@code @EventHandler} methods. The {@link #value() name} and {@link #version() version} travel on
 * the wire; the Java class name never does, so the class can be renamed or moved freely.
 *
 * @since 0.1.0
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface EventType {

    /**
     * The type name on the wire, for example {@code order.placed}. Also the default topic.
     * @return the event type name, never empty
     */
    String value();

    /**
     * The version of the event's schema, sent with every event.
     * @return a positive version number
     */
    int version() default 1;

}
