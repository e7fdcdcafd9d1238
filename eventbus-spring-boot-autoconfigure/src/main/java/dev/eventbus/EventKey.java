package dev.eventbus;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the field, record component or no-argument method whose value is the key of an
 * {@link EventType event}: the message key on the broker (the Kafka record key) and the unit of
 * ordering. Events with the same key reach handlers in the order their transactions committed.
 * The value is turned into a string with {@link String#valueOf(Object)}; a {@code null} value
 * means the event has no key.
 *
 * @since 0.1.0
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.RECORD_COMPONENT })
public @interface EventKey {

}
