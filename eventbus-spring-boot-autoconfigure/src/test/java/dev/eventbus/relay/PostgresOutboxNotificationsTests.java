package dev.eventbus.relay;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Which notifications wake the local relay, with notifications PostgreSQL delivered from this
 * instance's notifier and from another connection.
 */
class PostgresOutboxNotificationsTests {

    private static final String CHANNEL = "eventbus_outbox";

    private TestDatabase database;

    private HikariDataSource dataSource;

    private PostgresOutboxNotifier notifier;

    private Connection listening;

    @BeforeEach
    void start() throws SQLException {
        this.database = TestDatabases.embeddedPostgres();
        this.dataSource = this.database.createDataSource();
        this.listening = this.dataSource.getConnection();
        this.listening.setAutoCommit(true);
        try (Statement statement = this.listening.createStatement()) {
            statement.execute("LISTEN " + CHANNEL);
        }
        this.notifier = new PostgresOutboxNotifier(this.dataSource, CHANNEL, true);
        this.notifier.start();
    }

    @AfterEach
    void stop() throws SQLException {
        this.notifier.stop();
        this.listening.close();
        this.dataSource.close();
        this.database.close();
    }

    @Test
    void notificationsOfTheOwnNotifierDoNotWakeTheRelayThoseOfAnotherInstanceDo() throws SQLException {
        PostgresOutboxNotifications listener = new PostgresOutboxNotifications(this.dataSource, CHANNEL, () -> {
        }, this.notifier, true);
        this.notifier.outboxCommitted(List.of());
        PGNotification own = awaitNotification();
        try (Connection other = this.dataSource.getConnection(); Statement statement = other.createStatement()) {
            statement.execute("NOTIFY " + CHANNEL);
        }
        PGNotification foreign = awaitNotification();

        assertThat(own.getPID()).isNotEqualTo(foreign.getPID());
        assertThat(listener.wakesTheRelay(new PGNotification[] { own })).isFalse();
        assertThat(listener.wakesTheRelay(new PGNotification[] { foreign })).isTrue();
        assertThat(listener.wakesTheRelay(new PGNotification[] { own, foreign })).isTrue();
        assertThat(listener.wakesTheRelay(new PGNotification[0])).isFalse();
        assertThat(listener.wakesTheRelay(null)).isFalse();
    }

    @Test
    void withoutAnOwnNotifierEveryNotificationWakesTheRelay() throws SQLException {
        PostgresOutboxNotifications listener = new PostgresOutboxNotifications(this.dataSource, CHANNEL, () -> {
        }, null, true);
        this.notifier.outboxCommitted(List.of());

        assertThat(listener.wakesTheRelay(new PGNotification[] { awaitNotification() })).isTrue();
    }

    private PGNotification awaitNotification() throws SQLException {
        PGConnection connection = this.listening.unwrap(PGConnection.class);
        List<PGNotification> received = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            PGNotification[] notifications = connection.getNotifications(100);
            if (notifications != null) {
                received.addAll(List.of(notifications));
            }
            return !received.isEmpty();
        });
        assertThat(received).hasSize(1);
        return received.get(0);
    }

}
