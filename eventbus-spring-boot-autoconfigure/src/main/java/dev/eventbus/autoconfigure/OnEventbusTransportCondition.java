package dev.eventbus.autoconfigure;

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The condition of {@link ConditionalOnEventbusTransport}.
 */
class OnEventbusTransportCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnEventbusTransport.class.getName());
        String wanted = (attributes != null) ? (String) attributes.get("value") : null;
        String selected = EventbusTransports.select(context.getEnvironment(), context.getClassLoader());
        return (wanted != null && wanted.equals(selected))
                ? ConditionOutcome.match("eventbus transport is " + selected)
                : ConditionOutcome.noMatch("eventbus transport is " + selected + ", not " + wanted);
    }

}
