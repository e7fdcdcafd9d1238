package dev.eventbus.rabbitmq;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.eventbus.transport.ConsumerEndpoint;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;

/**
 * The names of eventbus's exchanges and queues on RabbitMQ, and their declaration: topic
 * {@code T} is the durable direct exchange {@code T}; consumer group {@code G} reads partition
 * {@code p} from the durable queue {@code T.G.p}, bound with routing key {@code p} and with a
 * single active consumer; dead letters go to the durable queue {@code T} + suffix.
 */
public class RabbitTopology {

    private static final Log logger = LogFactory.getLog(RabbitTopology.class);

    private final AmqpAdmin admin;

    private final int partitions;

    private final String deadLetterSuffix;

    private final Set<String> declaredExchanges = ConcurrentHashMap.newKeySet();

    private final Map<String, Set<String>> groupsByTopic = new ConcurrentHashMap<>();

    /**
     * Creates the topology.
     * @param admin declares on the broker
     * @param partitions the partitions of every topic
     * @param deadLetterSuffix the suffix of dead-letter queues
     */
    public RabbitTopology(AmqpAdmin admin, int partitions, String deadLetterSuffix) {
        this.admin = admin;
        this.partitions = partitions;
        this.deadLetterSuffix = deadLetterSuffix;
    }

    /**
     * The partitions of every topic.
     * @return the count
     */
    public int partitions() {
        return this.partitions;
    }

    /**
     * The queue a consumer group reads a partition from.
     * @param topic the topic
     * @param group the consumer group
     * @param partition the partition
     * @return the queue name
     */
    public static String queue(String topic, String group, int partition) {
        return topic + "." + group + "." + partition;
    }

    /**
     * Refuses consumer groups of this application that would share their queues: with a
     * {@code .} in a group, topic {@code a} with group {@code b.c} and topic {@code a.b} with
     * group {@code c} would both read {@code a.b.c.<p>}, and each miss the other's events.
     * @param endpoints every endpoint of this application
     * @throws IllegalStateException naming both pairs if two share their queues
     */
    public static void refuseSharedQueues(List<ConsumerEndpoint> endpoints) {
        Map<String, ConsumerEndpoint> byQueues = new HashMap<>();
        for (ConsumerEndpoint endpoint : endpoints) {
            ConsumerEndpoint other = byQueues.putIfAbsent(queue(endpoint.topic(), endpoint.group(), 0), endpoint);
            if (other != null && (!other.topic().equals(endpoint.topic()) || !other.group().equals(endpoint.group()))) {
                throw new IllegalStateException("Consumer group '" + other.group() + "' of topic '" + other.topic()
                        + "' and group '" + endpoint.group() + "' of topic '" + endpoint.topic()
                        + "' would share the RabbitMQ queues " + queue(endpoint.topic(), endpoint.group(), 0)
                        + "...; rename one of the groups (eventbus.consumer.group or @EventHandler(group = ...))");
            }
        }
    }

    /**
     * What could share the queues of a group with a {@code .} in its name, for a warning: another
     * application's group, which this one cannot see.
     * @param topic the topic
     * @param group the consumer group
     * @return the warning, or {@code null} if the group has no {@code .}
     */
    public static @Nullable String sharedQueuesWarning(String topic, String group) {
        int dot = group.indexOf('.');
        if (dot < 0) {
            return null;
        }
        return "Consumer group '" + group + "' of topic '" + topic + "' has a '.' in its name: its queues "
                + queue(topic, group, 0) + "... are also those of group '" + group.substring(dot + 1) + "' of topic '"
                + topic + "." + group.substring(0, dot) + "', should another application use that pair";
    }

    /**
     * The queue of a topic's dead letters.
     * @param topic the topic
     * @return the queue name
     */
    public String deadLetterQueue(String topic) {
        return topic + this.deadLetterSuffix;
    }

    /**
     * Declares a topic's exchange once per application, with the queues of this application's
     * consumer groups of the topic: so that the relay never publishes to an exchange that the
     * application's own groups have not bound yet, as after a start while the broker was away.
     * @param topic the topic
     */
    public void declareExchange(String topic) {
        if (!this.declaredExchanges.contains(topic)) {
            this.admin.declareExchange(new DirectExchange(topic, true, false));
            this.groupsByTopic.getOrDefault(topic, Set.of()).forEach((group) -> declareQueuesQuietly(topic, group));
            this.declaredExchanges.add(topic);
        }
    }

    /**
     * Remembers a consumer group of this application, whose queues are declared with its topic's
     * exchange from now on.
     * @param topic the topic
     * @param group the consumer group
     */
    public void registerGroup(String topic, String group) {
        this.groupsByTopic.computeIfAbsent(topic, (key) -> ConcurrentHashMap.newKeySet()).add(group);
    }

    /**
     * Forgets that a topic's exchange was declared, so that the next {@link #declareExchange}
     * declares it again: after a publish failed, since the exchange may have been deleted.
     * @param topic the topic
     */
    public void forget(String topic) {
        this.declaredExchanges.remove(topic);
    }

    /**
     * Declares the exchange, a group's partition queues with their bindings, and the dead-letter
     * queue of a topic.
     * @param topic the topic
     * @param group the consumer group
     */
    public void declareGroup(String topic, String group) {
        registerGroup(topic, group);
        declareGroupAgain(topic, group);
    }

    /**
     * Declares the exchange, a group's partition queues with their bindings, and the dead-letter
     * queue of a topic, even if they were declared before: after an operator may have deleted them.
     * @param topic the topic
     * @param group the consumer group
     */
    public void declareGroupAgain(String topic, String group) {
        this.admin.declareExchange(new DirectExchange(topic, true, false));
        this.declaredExchanges.add(topic);
        declareQueues(topic, group);
    }

    /**
     * Declares a group's queues for the relay, leaving a failure to the group's own declarations,
     * which report it, so that it never fails a relay round.
     */
    private void declareQueuesQuietly(String topic, String group) {
        try {
            declareQueues(topic, group);
        }
        catch (RuntimeException ex) {
            logger.debug("Could not declare the queues of group " + group + " of " + topic + ": " + ex.getMessage());
        }
    }

    private void declareQueues(String topic, String group) {
        for (int partition = 0; partition < this.partitions; partition++) {
            Queue queue = new Queue(queue(topic, group, partition), true, false, false,
                    Map.of("x-single-active-consumer", true));
            this.admin.declareQueue(queue);
            this.admin.declareBinding(new Binding(queue.getName(), Binding.DestinationType.QUEUE, topic,
                    Integer.toString(partition), null));
        }
        this.admin.declareQueue(new Queue(deadLetterQueue(topic), true, false, false));
    }

}
