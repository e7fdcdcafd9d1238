package dev.eventbus.wire;

import java.lang.invoke.MethodHandle;

import org.jspecify.annotations.Nullable;

/**
 * What eventbus knows about one {@code @EventType} class: its wire name, version and how to read
 * its key.
 *
 * @param javaType the event class
 * @param name the type name on the wire
 * @param version the schema version
 * @param keyReader reads the {@code @EventKey} member, or {@code null} if the class has none
 */
public record EventTypeDescriptor(Class<?> javaType, String name, int version, @Nullable MethodHandle keyReader) {

    /**
     * Reads the key of an event of this type.
     * @param event an instance of {@link #javaType()}
     * @return the key as a string, or {@code null} if the type has no key or its value is {@code null}
     */
    public @Nullable String keyOf(Object event) {
        if (this.keyReader == null) {
            return null;
        }
        try {
            Object key = this.keyReader.invoke(event);
            return (key != null) ? key.toString() : null;
        }
        catch (Throwable ex) {
            throw new IllegalStateException("Cannot read the @EventKey of " + this.javaType.getName(), ex);
        }
    }

}
