package dev.eventbus.relay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import dev.eventbus.outbox.OutboxCommitListener;
import dev.eventbus.outbox.OutboxEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Tells the relays of other instances that events were committed, through PostgreSQL's
 * {@code NOTIFY} on the channel named like the outbox table, which {@link PostgresOutboxNotifications}
 * listens on. The notifications are coalesced: a commit only asks for one, and a thread of its own
 * sends one {@code NOTIFY} for all commits asked since the last, at most one every 5 ms, on a
 * connection of its own, so other instances hear of a commit within a few milliseconds. The
 * publishing transactions therefore never take the database-wide lock that {@code NOTIFY} takes at
 * commit, which serialises commits under many concurrent publishers. The listener of the same
 * instance tells its notifications by their sender ({@link #sent}), since its relay heard of those
 * commits already. Should another instance's notification ever be taken for one of this
 * instance's (its backend's process id reused behind a connection pooler), the relay hears of
 * those events at its next poll instead.
 */
public class PostgresOutboxNotifier implements OutboxCommitListener, SmartLifecycle {

    private static final Log logger = LogFactory.getLog(PostgresOutboxNotifier.class);

    private static final long IDLE_MILLIS = 500;

    private static final long COALESCE_MILLIS = 5;

    private final DataSource dataSource;

    private final String channel;

    private final boolean postgres;

    private final AtomicBoolean requested = new AtomicBoolean();

    private volatile int backendPid = -1;

    private final Semaphore wakeUp = new Semaphore(0);

    private final LoopThreads thread = new LoopThreads("eventbus-outbox-notifier", 1, true, Duration.ofSeconds(5));

    /**
     * Creates the notifier.
     * @param dataSource the outbox's data source
     * @param channel the channel, named like the outbox table
     * @param postgres whether the data source is PostgreSQL; for other databases nothing is sent
     */
    public PostgresOutboxNotifier(DataSource dataSource, String channel, boolean postgres) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.postgres = postgres;
    }

    @Override
    public void outboxCommitted(List<OutboxEvent> events) {
        if (this.postgres && this.requested.compareAndSet(false, true)) {
            this.wakeUp.release();
        }
    }

    /**
     * Whether a notification was sent by this notifier.
     * @param senderPid the process id of the PostgreSQL backend that sent it
     * @return {@code true} if it is the backend of this notifier's connection
     */
    public boolean sent(int senderPid) {
        return senderPid == this.backendPid;
    }

    @Override
    public boolean isAutoStartup() {
        return this.postgres;
    }

    @Override
    public void start() {
        if (this.postgres) {
            this.thread.start(this::notifyUntil);
        }
    }

    @Override
    public void stop() {
        this.thread.stop(this.wakeUp::release);
    }

    @Override
    public boolean isRunning() {
        return this.thread.isRunning();
    }

    private void notifyUntil(CountDownLatch stopSignal) {
        Connection connection = null;
        try {
            while (stopSignal.getCount() > 0) {
                this.wakeUp.tryAcquire(IDLE_MILLIS, TimeUnit.MILLISECONDS);
                this.wakeUp.drainPermits();
                if (this.requested.getAndSet(false)) {
                    connection = notifyOn(connection);
                    stopSignal.await(COALESCE_MILLIS, TimeUnit.MILLISECONDS);
                }
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        finally {
            this.backendPid = -1;
            close(connection);
        }
    }

    private @Nullable Connection notifyOn(@Nullable Connection connection) {
        Connection current = connection;
        try {
            if (current == null) {
                current = this.dataSource.getConnection();
                current.setAutoCommit(true);
                this.backendPid = backendPid(current);
            }
            try (PreparedStatement statement = current.prepareStatement("SELECT pg_notify(?, '')")) {
                statement.setString(1, this.channel);
                statement.execute();
            }
            return current;
        }
        catch (SQLException | RuntimeException ex) {
            logger.warn("Notifying other instances of committed events failed; their relays poll: "
                    + ex.getMessage());
            this.backendPid = -1;
            close(current);
            return null;
        }
    }

    private static int backendPid(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT pg_backend_pid()")) {
            resultSet.next();
            return resultSet.getInt(1);
        }
    }

    private static void close(@Nullable Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            }
            catch (SQLException ex) {
                logger.debug("Closing the notification connection failed", ex);
            }
        }
    }

}
