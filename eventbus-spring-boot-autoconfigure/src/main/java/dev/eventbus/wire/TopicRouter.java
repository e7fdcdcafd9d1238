package dev.eventbus.wire;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Routes event types to topics: the topic configured in {@code eventbus.topics}, else the type
 * name itself. Each type's topic is checked and remembered on first use.
 */
public class TopicRouter {

    private static final Pattern LEGAL_TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    private final Map<String, String> topicsByType;

    private final Map<String, String> resolved = new ConcurrentHashMap<>();

    /**
     * Creates a router.
     * @param topicsByType topic per event type name, from {@code eventbus.topics}
     */
    public TopicRouter(Map<String, String> topicsByType) {
        this.topicsByType = Map.copyOf(topicsByType);
    }

    /**
     * The topic of an event type.
     * @param type the event type name
     * @return the topic, never {@code null}
     */
    public String topicOf(String type) {
        return this.resolved.computeIfAbsent(type, this::resolve);
    }

    private String resolve(String type) {
        String topic = this.topicsByType.getOrDefault(type, type);
        if (!isValidTopic(topic)) {
            throw new IllegalArgumentException("Event type '" + type + "' would go to topic '" + topic
                    + "', which is not a valid topic name: map it with eventbus.topics[" + type + "]");
        }
        return topic;
    }

    /**
     * Whether a name is a legal topic name: one that every transport accepts (Kafka's rules).
     * @param topic the candidate
     * @return {@code true} for 1 to 249 letters, digits, dots, underscores and hyphens, other than
     * {@code .} and {@code ..}
     */
    public static boolean isValidTopic(String topic) {
        return LEGAL_TOPIC.matcher(topic).matches() && !topic.equals(".") && !topic.equals("..");
    }

}
