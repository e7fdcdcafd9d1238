package dev.eventbus.relay;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import org.springframework.context.SmartLifecycle;

/**
 * Wakes the local relay when another instance commits events, through PostgreSQL's
 * {@code LISTEN/NOTIFY}: each instance's {@link PostgresOutboxNotifier} notifies the channel named
 * after the outbox table, and this listener holds one connection that listens on it. The
 * notifications of this instance's own notifier wake nothing, since the relay heard of those
 * commits when they happened. Reconnects after failures.
 */
public class PostgresOutboxNotifications implements SmartLifecycle {

    private static final Log logger = LogFactory.getLog(PostgresOutboxNotifications.class);

    private static final int POLL_MILLIS = 500;

    private final DataSource dataSource;

    private final String channel;

    private final Runnable wakeUp;

    private final @Nullable PostgresOutboxNotifier ownNotifier;

    private final boolean postgres;

    private final LoopThreads thread = new LoopThreads("eventbus-outbox-listener", 1, true, Duration.ofSeconds(5));

    /**
     * Creates the listener.
     * @param dataSource a PostgreSQL data source
     * @param channel the channel the notifiers notify, named like the outbox table
     * @param wakeUp wakes the local relay
     * @param ownNotifier this instance's notifier, whose notifications wake nothing, or
     * {@code null} to wake the relay for every notification
     * @param postgres whether the data source is PostgreSQL; for other databases nothing is started
     */
    public PostgresOutboxNotifications(DataSource dataSource, String channel, Runnable wakeUp,
            @Nullable PostgresOutboxNotifier ownNotifier, boolean postgres) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.wakeUp = wakeUp;
        this.ownNotifier = ownNotifier;
        this.postgres = postgres;
    }

    @Override
    public boolean isAutoStartup() {
        return this.postgres;
    }

    @Override
    public void start() {
        if (this.postgres) {
            this.thread.start(this::listenUntil);
        }
    }

    @Override
    public void stop() {
        this.thread.stop();
    }

    @Override
    public boolean isRunning() {
        return this.thread.isRunning();
    }

    private void listenUntil(CountDownLatch stopSignal) {
        while (stopSignal.getCount() > 0) {
            try (Connection connection = this.dataSource.getConnection()) {
                listen(connection, stopSignal);
            }
            catch (SQLException | RuntimeException ex) {
                logger.warn("Listening for outbox notifications failed, retrying: " + ex.getMessage());
                try {
                    stopSignal.await(5, TimeUnit.SECONDS);
                }
                catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Whether notifications tell of commits of another instance.
     * @param notifications the notifications received, possibly {@code null}
     * @return {@code true} if one of them was not sent by this instance's own notifier
     */
    boolean wakesTheRelay(PGNotification @Nullable [] notifications) {
        if (notifications == null) {
            return false;
        }
        for (PGNotification notification : notifications) {
            if (this.ownNotifier == null || !this.ownNotifier.sent(notification.getPID())) {
                return true;
            }
        }
        return false;
    }

    private void listen(Connection connection, CountDownLatch stopSignal) throws SQLException {
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN \"" + this.channel + "\"");
        }
        try {
            PGConnection pgConnection = connection.unwrap(PGConnection.class);
            while (stopSignal.getCount() > 0) {
                PGNotification[] notifications = pgConnection.getNotifications(POLL_MILLIS);
                if (wakesTheRelay(notifications)) {
                    this.wakeUp.run();
                }
            }
        }
        finally {
            try (Statement statement = connection.createStatement()) {
                statement.execute("UNLISTEN *");
            }
        }
    }

}
