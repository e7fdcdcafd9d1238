package dev.eventbus.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when the given transport is the selected one (see {@link EventbusTransports}): a
 * transport's auto-configuration carries it.
 *
 * @since 0.2.0
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(OnEventbusTransportCondition.class)
public @interface ConditionalOnEventbusTransport {

    /**
     * The transport's name, such as {@code kafka}.
     * @return the name
     */
    String value();

}
