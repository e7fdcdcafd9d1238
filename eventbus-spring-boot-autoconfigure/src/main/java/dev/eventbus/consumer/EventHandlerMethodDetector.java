package dev.eventbus.consumer;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.eventbus.EventHandler;
import dev.eventbus.EventMetadata;
import dev.eventbus.EventType;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds {@link EventHandler @EventHandler} methods on every bean as it is initialized, checks their
 * signature and remembers them. Classes without handlers are remembered too, so each class is
 * inspected once. A wrong signature fails start-up with a message naming the method.
 */
public class EventHandlerMethodDetector implements BeanPostProcessor {

    private final Set<Class<?>> classesWithoutHandlers = ConcurrentHashMap.newKeySet();

    private final List<EventHandlerMethod> handlerMethods = new CopyOnWriteArrayList<>();

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Class<?> targetClass = AopUtils.getTargetClass(bean);
        if (this.classesWithoutHandlers.contains(targetClass)) {
            return bean;
        }
        Map<Method, EventHandler> annotated = MethodIntrospector.selectMethods(targetClass,
                (MethodIntrospector.MetadataLookup<EventHandler>) (method) -> AnnotatedElementUtils
                    .findMergedAnnotation(method, EventHandler.class));
        if (annotated.isEmpty()) {
            this.classesWithoutHandlers.add(targetClass);
            return bean;
        }
        annotated.forEach((method, annotation) -> {
            Class<?> eventClass = checkSignature(method);
            Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
            ReflectionUtils.makeAccessible(invocable);
            this.handlerMethods.add(new EventHandlerMethod(bean, invocable, eventClass, annotation.group()));
        });
        return bean;
    }

    /**
     * The handler methods found so far.
     * @return the methods, in detection order
     */
    public List<EventHandlerMethod> handlerMethods() {
        return List.copyOf(this.handlerMethods);
    }

    private static Class<?> checkSignature(Method method) {
        Class<?>[] parameters = method.getParameterTypes();
        boolean valid = (parameters.length == 1 || (parameters.length == 2 && parameters[1] == EventMetadata.class))
                && parameters[0].isAnnotationPresent(EventType.class) && !Modifier.isStatic(method.getModifiers());
        if (!valid) {
            throw new IllegalStateException("@EventHandler method " + EventHandlerMethod.describe(method)
                    + " must be an instance method whose first parameter is an @EventType class, optionally followed"
                    + " by an EventMetadata parameter");
        }
        return parameters[0];
    }

}
