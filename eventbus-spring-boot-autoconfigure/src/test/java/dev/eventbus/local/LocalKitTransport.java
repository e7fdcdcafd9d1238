package dev.eventbus.local;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventbus.kit.KitTransport;
import dev.eventbus.outbox.OutboxLanes;
import dev.eventbus.schema.Database;
import dev.eventbus.schema.EventbusTables;
import dev.eventbus.testsupport.TestDatabase;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The kit's view of the {@code local} transport: the database is the broker. Foreign messages are
 * appended to the log as a producer of another application on the same database would; messages
 * and dead letters are read from their tables.
 */
class LocalKitTransport implements KitTransport, AutoCloseable {

    private final HikariDataSource dataSource;

    private final JdbcTemplate jdbc;

    private final LocalLog log;

    LocalKitTransport(TestDatabase database) {
        this.dataSource = database.createDataSource();
        this.jdbc = new JdbcTemplate(this.dataSource);
        this.log = new LocalLog(this.jdbc, new TransactionTemplate(new DataSourceTransactionManager(this.dataSource)),
                Database.of(this.dataSource), EventbusTables.DEFAULT);
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public Map<String, String> applicationProperties() {
        return Map.of("eventbus.outbox.relay.poll-interval", "200ms");
    }

    @Override
    public void createTopic(String topic) {
    }

    @Override
    public boolean replayRemovesDeadLetters() {
        return true;
    }

    @Override
    public void send(String topic, String key, byte[] body, Map<String, String> attributes) {
        Map<String, String> headers = new HashMap<>();
        attributes.forEach((name, value) -> headers.put(LocalHeaders.of(name), value));
        append(topic, key, body, headers);
    }

    @Override
    public void sendStructured(String topic, String key, byte[] envelope) {
        append(topic, key, envelope, Map.of("content-type", "application/cloudevents+json; charset=UTF-8"));
    }

    private void append(String topic, String key, byte[] body, Map<String, String> headers) {
        this.log.append(List.of(new LocalLog.Entry(topic, OutboxLanes.of(key, UUID.randomUUID()), key, headers, body,
                Instant.now())));
    }

    @Override
    public List<KitMessage> awaitMessages(String topic, Predicate<List<KitMessage>> until, Duration timeout) {
        return awaitRead(until, timeout, () -> this.jdbc.query("SELECT event_key, headers, body FROM "
                + EventbusTables.DEFAULT.localMessage() + " WHERE topic = ? ORDER BY sequence_no",
                (rs, row) -> new KitMessage(rs.getString("event_key"), rs.getBytes("body"),
                        attributes(LocalLog.readHeaders(rs)), null, null, null),
                topic));
    }

    @Override
    public List<KitMessage> awaitDeadLetters(String topic, Predicate<List<KitMessage>> until, Duration timeout) {
        return awaitRead(until, timeout, () -> this.jdbc.query("SELECT event_key, headers, body, cause_class,"
                + " cause_message, attempts FROM " + EventbusTables.DEFAULT.localDeadLetter()
                + " WHERE topic = ? ORDER BY id",
                (rs, row) -> new KitMessage(rs.getString("event_key"), rs.getBytes("body"),
                        attributes(LocalLog.readHeaders(rs)), rs.getString("cause_class"),
                        rs.getString("cause_message"), rs.getInt("attempts")),
                topic));
    }

    private static List<KitMessage> awaitRead(Predicate<List<KitMessage>> until, Duration timeout,
            Supplier<List<KitMessage>> read) {
        List<KitMessage> messages = await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(read::get,
                until);
        assertThat(until.test(messages)).isTrue();
        return messages;
    }

    private static Map<String, String> attributes(Map<String, String> headers) {
        Map<String, String> attributes = new HashMap<>();
        headers.forEach((name, value) -> {
            if (name.startsWith(LocalHeaders.PREFIX)) {
                attributes.put(name.substring(LocalHeaders.PREFIX.length()), value);
            }
            else if (name.equals(LocalHeaders.CONTENT_TYPE)) {
                attributes.put("datacontenttype", value);
            }
        });
        return attributes;
    }

    @Override
    public void close() {
        this.dataSource.close();
    }

}
