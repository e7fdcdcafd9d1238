package dev.eventbus.consumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.eventbus.EventHandler;
import dev.eventbus.schema.Database;
import dev.eventbus.schema.EventbusTables;
import dev.eventbus.testapp.OrderPlaced;
import dev.eventbus.transport.ConsumerEndpoint;
import dev.eventbus.transport.ConsumerTransport;
import dev.eventbus.transport.InboundBatchHandler;
import dev.eventbus.wire.EventTypeRegistry;
import dev.eventbus.wire.TopicRouter;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class EventConsumersTests {

    @Test
    void subscriptionThatFailsToStartStopsTheOnesAlreadyStarted() {
        EventHandlerMethodDetector detector = new EventHandlerMethodDetector();
        detector.postProcessAfterInitialization(new TwoGroups(), "twoGroups");
        List<String> events = new ArrayList<>();
        ConsumerTransport transport = new ConsumerTransport() {

            @Override
            public void prepare(List<ConsumerEndpoint> endpoints) {
                events.add("prepared " + endpoints.size());
            }

            @Override
            public Subscription subscribe(ConsumerEndpoint endpoint, InboundBatchHandler handler) {
                if (events.size() == 2) {
                    throw new IllegalStateException("cannot start " + endpoint.id());
                }
                events.add("started " + endpoint.id());
                return () -> events.add("stopped " + endpoint.id());
            }

        };
        EventConsumers consumers = new EventConsumers(detector, transport, new EventConsumers.Settings(
                new EventTypeRegistry(), new TopicRouter(Map.of()), null,
                (group) -> new GroupSettings(1, Duration.ofSeconds(30), 3, Duration.ofMillis(10), 2.0,
                        Duration.ofSeconds(1), List.of()),
                new CloudEventDecoder(JsonMapper.builder().build()),
                new ProcessedEventRepository(new JdbcTemplate(), Database.H2, EventbusTables.DEFAULT),
                new DataSourceTransactionManager(new DriverManagerDataSource()), (group, message, cause, attempts) -> {
                }, ConsumerObserver.NONE, ObservationRegistry.NOOP));

        assertThatIllegalStateException().isThrownBy(consumers::start).withMessageStartingWith("cannot start");

        assertThat(events).hasSize(3).startsWith("prepared 2");
        assertThat(events.get(1)).startsWith("started ");
        assertThat(events.get(2)).isEqualTo("stopped " + events.get(1).substring("started ".length()));
        assertThat(consumers.isRunning()).isFalse();
    }

    static class TwoGroups {

        @EventHandler(group = "first")
        void first(OrderPlaced event) {
        }

        @EventHandler(group = "second")
        void second(OrderPlaced event) {
        }

    }

}
