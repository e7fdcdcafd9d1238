package dev.eventbus.consumer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.eventbus.consumertest.OrderHandlers;
import dev.eventbus.test.TestDatabase;
import dev.eventbus.test.TestDatabases;
import dev.eventbus.test.TestKafka;
import dev.eventbus.testapp.OrderPlaced;
import dev.eventbus.testapp.OrderService;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ConsumerOrderingAndShutdownIntegrationTests {

    static final int EVENTS = 2_000;

    static final int KEYS = 20;

    @Test
    void eventsReachTheHandlerInPerKeyOrderWithThreeListenerThreads() {
        String topic = TestKafka.uniqueTopic("ordered");
        TestKafka.createTopic(TestKafka.bootstrapServers(), topic, 3);
        try (TestDatabase database = TestDatabases.embeddedPostgres();
                ConfigurableApplicationContext publisher = ConsumerTestSupport.startPublisher(database, topic);
                ConfigurableApplicationContext consumer = ConsumerTestSupport.startConsumer(database, topic, "ordered",
                        3)) {
            OrderService orders = publisher.getBean(OrderService.class);
            for (int start = 0; start < EVENTS; start += 100) {
                List<OrderPlaced> batch = new ArrayList<>();
                for (int sequence = start; sequence < start + 100; sequence++) {
                    batch.add(new OrderPlaced("key-" + (sequence % KEYS), sequence));
                }
                orders.placeAll(batch);
            }
            OrderHandlers handlers = consumer.getBean(OrderHandlers.class);

            await().atMost(ConsumerTestSupport.timeout()).until(() -> handlers.handled().size() >= EVENTS);

            Map<String, List<Integer>> sequencesByKey = new LinkedHashMap<>();
            handlers.handled().forEach((handled) -> sequencesByKey
                .computeIfAbsent(handled.event().orderId(), (key) -> new ArrayList<>())
                .add(handled.event().sequence()));
            assertThat(sequencesByKey).hasSize(KEYS);
            sequencesByKey.forEach((key, sequences) -> assertThat(sequences).as(key)
                .isSorted()
                .doesNotHaveDuplicates()
                .hasSize(EVENTS / KEYS));
            assertThat(handlers.handled()).hasSize(EVENTS);
        }
    }

    @Test
    void closingTheContextStopsEveryEventbusThread() {
        String topic = TestKafka.uniqueTopic("shutdown");
        try (TestDatabase database = TestDatabases.embeddedPostgres()) {
            ConfigurableApplicationContext consumer = ConsumerTestSupport.startConsumer(database, topic, "shutdown", 2);
            assertThat(eventbusThreads()).isNotEmpty();

            consumer.close();

            await().atMost(ConsumerTestSupport.timeout()).until(() -> eventbusThreads().isEmpty());
        }
    }

    private static List<String> eventbusThreads() {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(Thread::isAlive)
            .map(Thread::getName)
            .filter((name) -> name.startsWith("eventbus-"))
            .toList();
    }

}
