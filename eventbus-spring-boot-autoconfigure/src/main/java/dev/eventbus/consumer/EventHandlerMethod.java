package dev.eventbus.consumer;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import dev.eventbus.EventMetadata;

import org.springframework.util.ReflectionUtils;

/**
 * One {@code @EventHandler} method of a bean.
 *
 * @param bean the bean
 * @param method the handler method, accessible
 * @param eventClass the {@code @EventType} class of its first parameter
 * @param group the consumer group named on the annotation, or empty for the default group
 */
public record EventHandlerMethod(Object bean, Method method, Class<?> eventClass, String group) {

    /**
     * Calls the handler.
     * @param event the event, an instance of {@link #eventClass()}
     * @param metadata the event's metadata
     * @throws Exception whatever the handler throws
     */
    public void invoke(Object event, EventMetadata metadata) throws Exception {
        Object[] arguments = (this.method.getParameterCount() == 2) ? new Object[] { event, metadata }
                : new Object[] { event };
        try {
            this.method.invoke(this.bean, arguments);
        }
        catch (InvocationTargetException ex) {
            if (ex.getTargetException() instanceof Exception exception) {
                throw exception;
            }
            ReflectionUtils.rethrowRuntimeException(ex.getTargetException());
        }
    }

    /**
     * A readable name, such as {@code InventoryHandlers.on(OrderPlaced)}.
     * @return the name
     */
    public String describe() {
        return describe(this.method);
    }

    static String describe(Method method) {
        StringBuilder name = new StringBuilder(method.getDeclaringClass().getName()).append('.')
            .append(method.getName())
            .append('(');
        Class<?>[] parameters = method.getParameterTypes();
        for (int i = 0; i < parameters.length; i++) {
            name.append((i > 0) ? ", " : "").append(parameters[i].getSimpleName());
        }
        return name.append(')').toString();
    }

}
