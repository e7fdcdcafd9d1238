package dev.eventbus.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.core.env.PropertyResolver;
import org.springframework.util.ClassUtils;

/**
 * Chooses the transport: the one {@code eventbus.transport} names, else the one whose client
 * library is on the class path; {@value #LOCAL}, which needs no client, only when named. Knows the transports by name and by a class of their client only,
 * so the core never loads a broker client.
 */
public final class EventbusTransports {

    /** The property that names the transport. */
    public static final String PROPERTY = "eventbus.transport";

    /** The transport without broker, which is used only when configured. */
    public static final String LOCAL = "local";

    private static final Map<String, String> CLIENT_CLASSES = clientClasses();

    private EventbusTransports() {
    }

    private static Map<String, String> clientClasses() {
        Map<String, String> classes = new LinkedHashMap<>();
        classes.put("kafka", "org.springframework.kafka.core.KafkaTemplate");
        classes.put("rabbitmq", "org.springframework.amqp.rabbit.core.RabbitTemplate");
        classes.put("nats", "io.nats.client.Connection");
        return classes;
    }

    /**
     * The selected transport.
     * @param properties the environment
     * @param classLoader loads the client libraries
     * @return the transport's name, or {@code null} when neither configured nor any client present
     * @throws IllegalStateException if the configured transport is unknown or its client is missing,
     * or several clients are present and none is configured
     */
    public static @Nullable String select(PropertyResolver properties, @Nullable ClassLoader classLoader) {
        String configured = properties.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            String name = configured.trim().toLowerCase(Locale.ROOT);
            if (LOCAL.equals(name)) {
                return name;
            }
            String clientClass = CLIENT_CLASSES.get(name);
            if (clientClass == null) {
                List<String> names = new ArrayList<>(CLIENT_CLASSES.keySet());
                names.add(LOCAL);
                throw new IllegalStateException(PROPERTY + " is '" + configured + "', which is not a transport;"
                        + " use one of " + names);
            }
            if (!ClassUtils.isPresent(clientClass, classLoader)) {
                throw new IllegalStateException(PROPERTY + " is '" + name + "', but its client library is not on the"
                        + " class path (" + clientClass + ")");
            }
            return name;
        }
        List<String> present = CLIENT_CLASSES.entrySet()
            .stream()
            .filter((entry) -> ClassUtils.isPresent(entry.getValue(), classLoader))
            .map(Map.Entry::getKey)
            .toList();
        if (present.size() > 1) {
            throw new IllegalStateException("The client libraries of several transports are on the class path "
                    + present + ": choose one with " + PROPERTY);
        }
        return present.isEmpty() ? null : present.get(0);
    }

}
