package dev.eventbus.wire;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.eventbus.EventKey;
import dev.eventbus.EventType;
import org.jspecify.annotations.Nullable;

/**
 * Describes {@link EventType @EventType} classes and remembers the descriptions. Only classes
 * registered here are ever mapped to or from the wire.
 */
public class EventTypeRegistry {

    private final Map<Class<?>, Optional<EventTypeDescriptor>> byClass = new ConcurrentHashMap<>();

    private final Set<String> names = ConcurrentHashMap.newKeySet();

    /**
     * Whether a class is annotated with {@link EventType}.
     * @param type the candidate
     * @return {@code true} if events of this class can be published
     */
    public boolean isEventType(Class<?> type) {
        return this.byClass.computeIfAbsent(type, this::describeAndRemember).isPresent();
    }

    /**
     * Describes an event class.
     * @param type a class annotated with {@link EventType}
     * @return the description, never {@code null}
     * @throws IllegalArgumentException if the class has no {@link EventType} annotation or an
     * invalid one
     */
    public EventTypeDescriptor describe(Class<?> type) {
        return this.byClass.computeIfAbsent(type, this::describeAndRemember)
            .orElseThrow(() -> new IllegalArgumentException(type.getName()
                    + " is not an event: annotate it with @" + EventType.class.getName()));
    }

    /**
     * Whether an event type name belongs to a class described here, one this application publishes
     * or handles. Names from the wire that are not are foreign and unbounded.
     * @param name the type name, as on the wire
     * @return {@code true} if a registered class has that name
     */
    public boolean isRegisteredName(String name) {
        return this.names.contains(name);
    }

    private Optional<EventTypeDescriptor> describeAndRemember(Class<?> type) {
        Optional<EventTypeDescriptor> descriptor = describeIfAnnotated(type);
        descriptor.ifPresent((described) -> this.names.add(described.name()));
        return descriptor;
    }

    private static Optional<EventTypeDescriptor> describeIfAnnotated(Class<?> type) {
        EventType annotation = type.getAnnotation(EventType.class);
        if (annotation == null) {
            return Optional.empty();
        }
        if (annotation.value().isBlank()) {
            throw new IllegalArgumentException("@EventType of " + type.getName() + " has an empty name");
        }
        if (annotation.version() < 1) {
            throw new IllegalArgumentException("@EventType of " + type.getName() + " has version "
                    + annotation.version() + "; versions start at 1");
        }
        return Optional.of(new EventTypeDescriptor(type, annotation.value(), annotation.version(), keyReader(type)));
    }

    private static @Nullable MethodHandle keyReader(Class<?> type) {
        List<MethodHandle> readers = new ArrayList<>();
        Set<Method> keyAccessors = new HashSet<>();
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            if (type.isRecord()) {
                for (RecordComponent component : type.getRecordComponents()) {
                    if (component.isAnnotationPresent(EventKey.class)) {
                        keyAccessors.add(component.getAccessor());
                        readers.add(unreflect(lookup, component.getAccessor()));
                    }
                }
            }
            for (Class<?> current = type; current != Object.class && current != Record.class;
                    current = current.getSuperclass()) {
                if (!type.isRecord()) {
                    addFieldKeyReaders(lookup, current, readers);
                }
                addMethodKeyReaders(lookup, current, keyAccessors, readers);
            }
        }
        catch (IllegalAccessException ex) {
            throw new IllegalArgumentException("Cannot read the @EventKey of " + type.getName(), ex);
        }
        if (readers.size() > 1) {
            throw new IllegalArgumentException(type.getName() + " has more than one @EventKey member");
        }
        return readers.isEmpty() ? null : readers.get(0);
    }

    private static void addFieldKeyReaders(MethodHandles.Lookup lookup, Class<?> type, List<MethodHandle> readers)
            throws IllegalAccessException {
        for (Field field : type.getDeclaredFields()) {
            if (field.isAnnotationPresent(EventKey.class)) {
                field.setAccessible(true);
                readers.add(lookup.unreflectGetter(field));
            }
        }
    }

    private static void addMethodKeyReaders(MethodHandles.Lookup lookup, Class<?> type, Set<Method> keyAccessors,
            List<MethodHandle> readers) throws IllegalAccessException {
        for (Method method : type.getDeclaredMethods()) {
            if (method.isAnnotationPresent(EventKey.class) && !keyAccessors.contains(method)) {
                if (method.getParameterCount() != 0 || Modifier.isStatic(method.getModifiers())) {
                    throw new IllegalArgumentException(
                            "@EventKey method " + method + " must be an instance method without parameters");
                }
                readers.add(unreflect(lookup, method));
            }
        }
    }

    private static MethodHandle unreflect(MethodHandles.Lookup lookup, Method method) throws IllegalAccessException {
        method.setAccessible(true);
        return lookup.unreflect(method);
    }

}
