package dev.eventbus.test;

import dev.eventbus.EventPublisher;
import dev.eventbus.autoconfigure.EventbusAutoConfiguration;
import dev.eventbus.wire.EventTypeRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Auto-configuration of eventbus's test support, active when {@code eventbus-test} is on the
 * class path: records what is published and handled, and offers {@link PublishedEvents},
 * {@link HandledEvents} and {@link EventScenario}.
 *
 * @since 0.2.0
 */
@AutoConfiguration(after = EventbusAutoConfiguration.class)
@ConditionalOnBean(EventPublisher.class)
public final class EventbusTestAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RecordedEvents eventbusRecordedEvents(EventTypeRegistry registry, ObjectProvider<JsonMapper> jsonMapper) {
        return new RecordedEvents(registry, jsonMapper.getIfAvailable(JsonMapper::new));
    }

    @Bean
    @ConditionalOnMissingBean
    PublishedEvents eventbusPublishedEvents(RecordedEvents records) {
        return new PublishedEvents(records);
    }

    @Bean
    @ConditionalOnMissingBean
    HandledEvents eventbusHandledEvents(RecordedEvents records) {
        return new HandledEvents(records);
    }

    @Bean
    @ConditionalOnMissingBean
    EventScenario eventbusEventScenario(RecordedEvents records, PlatformTransactionManager transactionManager,
            EventPublisher publisher) {
        return new EventScenario(records, new TransactionTemplate(transactionManager), publisher,
                EventScenario.DEFAULT_TIMEOUT);
    }

}
