package dev.eventbus.rabbitmq;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import dev.eventbus.transport.DeadLetterReplayer;
import dev.eventbus.wire.CloudEventAttributes;
import dev.eventbus.wire.Partitions;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;

/**
 * Replays dead letters from the queue {@code T-dlt} to the exchange of topic {@code T}, each to the
 * partition it was read from, without the dead-letter headers and with its event id: it reads the
 * queue once, as deep as it was when the replay began, publishes each selected message with a
 * confirm and only then acknowledges it, which removes it from the dead letters; the others return
 * to the queue.
 */
public class RabbitDeadLetterReplayer implements DeadLetterReplayer {

    private final ConnectionFactory connectionFactory;

    private final ConfirmedPublisher publisher;

    private final RabbitTopology topology;

    private final Partitions partitions;

    private final Duration confirmTimeout;

    private final DefaultMessagePropertiesConverter converter = new DefaultMessagePropertiesConverter();

    /**
     * Creates the replayer.
     * @param connectionFactory reads the dead-letter queues
     * @param publisher publishes the replayed messages with confirms
     * @param topology names the queues
     * @param partitions the partitions, for dead letters without their partition header
     * @param confirmTimeout how long to wait for each confirm
     */
    public RabbitDeadLetterReplayer(ConnectionFactory connectionFactory, ConfirmedPublisher publisher,
            RabbitTopology topology, Partitions partitions, Duration confirmTimeout) {
        this.connectionFactory = connectionFactory;
        this.publisher = publisher;
        this.topology = topology;
        this.partitions = partitions;
        this.confirmTimeout = confirmTimeout;
    }

    @Override
    public int replay(String topic, @Nullable String group, @Nullable Set<String> eventIds, @Nullable Integer limit) {
        String queue = this.topology.deadLetterQueue(topic);
        Integer replayed = new RabbitTemplate(this.connectionFactory).execute((channel) -> {
            long depth = channel.queueDeclarePassive(queue).getMessageCount();
            int count = 0;
            try {
                for (long read = 0; read < depth && (limit == null || count < limit); read++) {
                    GetResponse response = channel.basicGet(queue, false);
                    if (response == null) {
                        break;
                    }
                    if (selected(response, group, eventIds)) {
                        replay(topic, response);
                        channel.basicAck(response.getEnvelope().getDeliveryTag(), false);
                        count++;
                    }
                }
            }
            finally {
                returnUnselected(channel);
            }
            return count;
        });
        return (replayed != null) ? replayed : 0;
    }

    private static boolean selected(GetResponse response, @Nullable String group, @Nullable Set<String> eventIds) {
        Map<String, Object> headers = response.getProps().getHeaders();
        Object deadLetteredBy = (headers != null) ? headers.get(RabbitHeaders.DEAD_LETTER_GROUP) : null;
        if (group != null && (deadLetteredBy == null || !group.equals(deadLetteredBy.toString()))) {
            return false;
        }
        if (eventIds == null) {
            return true;
        }
        Object id = (headers != null) ? headers.get(RabbitHeaders.of(CloudEventAttributes.ID)) : null;
        return id != null && eventIds.contains(id.toString());
    }

    private void replay(String topic, GetResponse response) {
        MessageProperties properties = this.converter.toMessageProperties(response.getProps(),
                response.getEnvelope(), "UTF-8");
        Object partition = properties.getHeaders().get(RabbitHeaders.DEAD_LETTER_PARTITION);
        Object key = properties.getHeaders().get(RabbitHeaders.PARTITION_KEY);
        Object deadLetteredBy = properties.getHeaders().get(RabbitHeaders.DEAD_LETTER_GROUP);
        properties.getHeaders().keySet().removeIf(RabbitHeaders::isDeadLetterHeader);
        properties.getHeaders().remove(GROUP_HEADER);
        if (deadLetteredBy != null) {
            properties.getHeaders().put(GROUP_HEADER, deadLetteredBy.toString());
        }
        Message message = MessageBuilder.withBody(response.getBody()).andProperties(properties).build();
        String routingKey = (partition != null) ? partition.toString()
                : Integer.toString(this.partitions.of((key != null) ? key.toString() : null));
        this.topology.declareExchange(topic);
        ConfirmedPublisher.Answer answer = ConfirmedPublisher.await(this.publisher.publish(topic, routingKey, message),
                this.confirmTimeout);
        if (!answer.acknowledged()) {
            throw new AmqpException("Replaying a dead letter of " + topic + " failed; it stays a dead letter",
                    (answer.refusal() != null) ? answer.refusal() : answer.failure());
        }
    }

    private static void returnUnselected(Channel channel) throws IOException {
        channel.basicRecover(true);
    }

}
