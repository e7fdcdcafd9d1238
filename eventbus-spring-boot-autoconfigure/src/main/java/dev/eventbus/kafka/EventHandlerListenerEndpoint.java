package dev.eventbus.kafka;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

import dev.eventbus.transport.ConsumerEndpoint;
import dev.eventbus.transport.InboundBatchHandler;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.config.KafkaListenerEndpoint;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.support.TopicPartitionOffset;
import org.springframework.kafka.support.converter.MessageConverter;

/**
 * The {@link KafkaListenerEndpoint} of one eventbus subscription: its topic, group, id and
 * concurrency, and a batch listener that hands the records to the core.
 */
final class EventHandlerListenerEndpoint implements KafkaListenerEndpoint {

    private final ConsumerEndpoint endpoint;

    private final InboundBatchHandler handler;

    EventHandlerListenerEndpoint(ConsumerEndpoint endpoint, InboundBatchHandler handler) {
        this.endpoint = endpoint;
        this.handler = handler;
    }

    @Override
    public String getId() {
        return this.endpoint.id();
    }

    @Override
    public String getGroupId() {
        return this.endpoint.group();
    }

    @Override
    public @Nullable String getGroup() {
        return null;
    }

    @Override
    public Collection<String> getTopics() {
        return List.of(this.endpoint.topic());
    }

    @Override
    public TopicPartitionOffset[] getTopicPartitionsToAssign() {
        return new TopicPartitionOffset[0];
    }

    @Override
    public @Nullable Pattern getTopicPattern() {
        return null;
    }

    @Override
    public String getClientIdPrefix() {
        return this.endpoint.id();
    }

    @Override
    public Integer getConcurrency() {
        return this.endpoint.concurrency();
    }

    @Override
    public Boolean getAutoStartup() {
        return false;
    }

    @Override
    public Boolean getBatchListener() {
        return true;
    }

    @Override
    public void setupListenerContainer(MessageListenerContainer listenerContainer,
            @Nullable MessageConverter messageConverter) {
        listenerContainer.setupMessageListener(new KafkaBatchListener(this.handler));
    }

    @Override
    public boolean isSplitIterables() {
        return false;
    }

    @Override
    public @Nullable String getAckMode() {
        return null;
    }

}
