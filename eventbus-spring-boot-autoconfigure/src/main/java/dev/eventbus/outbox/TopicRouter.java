package dev.eventbus.outbox;

import java.util.Map;

/**
 * Routes event types to topics: the topic configured in {@code eventbus.topics}, else the type
 * name itself.
 */
public class TopicRouter {

    private final Map<String, String> topicsByType;

    public TopicRouter(Map<String, String> topicsByType) {
        this.topicsByType = Map.copyOf(topicsByType);
    }

    /**
     * The topic of an event type.
     * @param type the event type name
     * @return the topic, never {@code null}
     */
    public String topicOf(String type) {
        return this.topicsByType.getOrDefault(type, type);
    }

}
