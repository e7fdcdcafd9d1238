package dev.eventbus.kafka;

import dev.eventbus.transport.ConsumerEndpoint;

import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/**
 * Customizes each listener container eventbus creates for {@code @EventHandler} methods, after
 * Spring Boot's {@code ContainerCustomizer} and before it starts.
 *
 * @since 0.2.0
 */
@FunctionalInterface
public interface EventListenerContainerCustomizer {

    /**
     * Customizes a container.
     * @param container the container of one consumer group and topic
     * @param endpoint what the container serves
     */
    void customize(ConcurrentMessageListenerContainer<?, ?> container, ConsumerEndpoint endpoint);

}
