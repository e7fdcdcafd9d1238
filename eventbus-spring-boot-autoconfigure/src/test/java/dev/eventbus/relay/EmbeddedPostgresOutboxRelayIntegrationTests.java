package dev.eventbus.relay;

import java.time.Duration;
import java.util.UUID;

import dev.eventbus.EventPublisher;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;
import dev.eventbus.testapp.OrderPlaced;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EmbeddedPostgresOutboxRelayIntegrationTests extends AbstractOutboxRelayIntegrationTests {

    @Override
    TestDatabase createDatabase() {
        return TestDatabases.embeddedPostgres();
    }

    @Test
    void commitInAnotherInstanceWakesTheRelayThroughListenNotify() throws InterruptedException {
        try (ConfigurableApplicationContext publisherOnly = startApplication(false)) {
            TransactionTemplate transaction = publisherOnly.getBean(TransactionTemplate.class);
            EventPublisher publisher = publisherOnly.getBean(EventPublisher.class);
            Thread.sleep(POLL_INTERVAL.toMillis() / 5);

            long committed = System.nanoTime();
            UUID eventId = transaction.execute((status) -> publisher.publish(new OrderPlaced("order-8", 1)));
            await().atMost(POLL_INTERVAL).pollInterval(Duration.ofMillis(5)).until(() -> publishedAt(eventId) != null);

            assertThat(Duration.ofNanos(System.nanoTime() - committed)).isLessThan(POLL_INTERVAL.dividedBy(5));
        }
    }

}
