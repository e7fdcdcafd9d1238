package dev.eventbus.consumer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.eventbus.wire.EventTypeDescriptor;
import dev.eventbus.wire.EventTypeRegistry;
import dev.eventbus.wire.TopicRouter;
import org.jspecify.annotations.Nullable;

/**
 * The handlers of one consumer group for the events of one topic: what one subscription of
 * the transport serves.
 *
 * @param group the consumer group
 * @param topic the topic
 * @param handlers the handlers with the description of their event type
 */
public record EventHandlerEndpoint(String group, String topic, List<BoundHandler> handlers) {

    /**
     * The handlers for an event type and version, grouped by event class so the data is read once
     * per class.
     * @param type the event type name
     * @param version the event type version
     * @return handlers by event class; empty if this group does not know the type and version
     */
    public Map<Class<?>, List<EventHandlerMethod>> handlersFor(String type, int version) {
        return this.handlers.stream()
            .filter((handler) -> handler.eventType().name().equals(type) && handler.eventType().version() == version)
            .collect(Collectors.groupingBy((handler) -> handler.eventType().javaType(),
                    Collectors.mapping(BoundHandler::method, Collectors.toList())));
    }

    /**
     * Groups handler methods into endpoints by consumer group and topic.
     * @param methods the handler methods
     * @param registry describes their event types
     * @param topicRouter routes event types to topics, as the publishers do
     * @param defaultGroup the group of handlers that name none, or {@code null} if none is configured
     * @return the endpoints, never {@code null}
     * @throws IllegalStateException if a handler needs the default group and none is configured
     */
    public static List<EventHandlerEndpoint> of(List<EventHandlerMethod> methods, EventTypeRegistry registry,
            TopicRouter topicRouter, @Nullable String defaultGroup) {
        Map<String, Map<String, List<BoundHandler>>> byGroupAndTopic = new LinkedHashMap<>();
        for (EventHandlerMethod method : methods) {
            String group = method.group().isEmpty() ? defaultGroup : method.group();
            if (group == null) {
                throw new IllegalStateException("@EventHandler method " + method.describe() + " names no group: set"
                        + " eventbus.consumer.group or spring.application.name, or the annotation's group");
            }
            EventTypeDescriptor eventType = registry.describe(method.eventClass());
            byGroupAndTopic.computeIfAbsent(group, (key) -> new LinkedHashMap<>())
                .computeIfAbsent(topicRouter.topicOf(eventType.name()), (key) -> new ArrayList<>())
                .add(new BoundHandler(method, eventType));
        }
        List<EventHandlerEndpoint> endpoints = new ArrayList<>();
        byGroupAndTopic.forEach((group, byTopic) -> byTopic
            .forEach((topic, handlers) -> endpoints.add(new EventHandlerEndpoint(group, topic, List.copyOf(handlers)))));
        return endpoints;
    }

    /**
     * A handler method with the description of its event type.
     *
     * @param method the handler method
     * @param eventType the event type it handles
     */
    public record BoundHandler(EventHandlerMethod method, EventTypeDescriptor eventType) {

    }

}
