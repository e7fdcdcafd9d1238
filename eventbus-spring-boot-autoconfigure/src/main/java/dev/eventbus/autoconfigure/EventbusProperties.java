package dev.eventbus.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.eventbus.consumer.GroupSettings;
import dev.eventbus.outbox.OutboxLanes;
import dev.eventbus.wire.TopicRouter;
import dev.eventbus.schema.EventbusTables;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of eventbus. The broker itself is configured with its usual properties, such as
 * {@code spring.kafka.*} and the database with {@code spring.datasource.*}. Every setter refuses values that
 * cannot work, naming the property, so a bad configuration stops the application at start-up.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("eventbus")
public class EventbusProperties {

    /**
     * Whether eventbus is enabled.
     */
    private boolean enabled = true;

    /**
     * CloudEvents source of the published events. Defaults to spring.application.name.
     */
    private @Nullable String source;

    /**
     * Transport that carries the events to and from the broker: kafka, rabbitmq, nats or local. Defaults
     * to the one whose client library is on the class path; local is used only when set.
     */
    private @Nullable String transport;

    /**
     * Partitions of each topic on brokers that have none of their own (RabbitMQ, NATS); every
     * service of a topic must use the same number.
     */
    private int partitions = 16;

    /**
     * Topic per event type; types not listed go to a topic named like the type. Quote keys that
     * contain dots: "[order.placed]": orders.
     */
    private Map<String, String> topics = new LinkedHashMap<>();

    private final Outbox outbox = new Outbox();

    private final Health health = new Health();

    private final Consumer consumer = new Consumer();

    private final Schema schema = new Schema();

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public @Nullable String getSource() {
        return this.source;
    }

    public void setSource(@Nullable String source) {
        if (source != null && source.isBlank()) {
            throw new IllegalArgumentException("eventbus.source must not be blank");
        }
        this.source = source;
    }

    public @Nullable String getTransport() {
        return this.transport;
    }

    public void setTransport(@Nullable String transport) {
        this.transport = transport;
    }

    public int getPartitions() {
        return this.partitions;
    }

    public void setPartitions(int partitions) {
        this.partitions = requirePositive("eventbus.partitions", partitions);
    }

    public Map<String, String> getTopics() {
        return this.topics;
    }

    public void setTopics(Map<String, String> topics) {
        topics.forEach((type, topic) -> {
            if (!TopicRouter.isValidTopic(topic)) {
                throw new IllegalArgumentException("eventbus.topics[" + type + "] is '" + topic
                        + "', which is not a valid topic name");
            }
        });
        this.topics = topics;
    }

    public Outbox getOutbox() {
        return this.outbox;
    }

    public Health getHealth() {
        return this.health;
    }

    public Consumer getConsumer() {
        return this.consumer;
    }

    public Schema getSchema() {
        return this.schema;
    }

    static Duration requirePositive(String property, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(property + " must be positive, but was " + value);
        }
        return value;
    }

    static Duration requireNotNegative(String property, Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException(property + " must not be negative, but was " + value);
        }
        return value;
    }

    static int requirePositive(String property, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(property + " must be positive, but was " + value);
        }
        return value;
    }

    /**
     * The transactional outbox.
     */
    public static class Outbox {

        /**
         * Whether publishing requires an active transaction. When false, an event published
         * outside a transaction is stored in a transaction of its own.
         */
        private boolean requireTransaction = true;

        /**
         * Whether commits wake the relays of other instances through PostgreSQL's NOTIFY,
         * coalesced on a connection of its own. Without it they find new events by polling.
         */
        private boolean notify = true;

        /**
         * How long published rows are kept before they are deleted. Zero deletes them as soon as
         * they are published.
         */
        private Duration retention = Duration.ofDays(7);

        /**
         * Largest event, as JSON, that publish accepts. Larger events are refused at publish
         * time so they can never block the relay.
         */
        private DataSize maxPayloadSize = DataSize.ofMegabytes(1);

        private final Relay relay = new Relay();

        public boolean isNotify() {
            return this.notify;
        }

        public void setNotify(boolean notify) {
            this.notify = notify;
        }

        public boolean isRequireTransaction() {
            return this.requireTransaction;
        }

        public void setRequireTransaction(boolean requireTransaction) {
            this.requireTransaction = requireTransaction;
        }

        public Duration getRetention() {
            return this.retention;
        }

        public void setRetention(Duration retention) {
            this.retention = requireNotNegative("eventbus.outbox.retention", retention);
        }

        public DataSize getMaxPayloadSize() {
            return this.maxPayloadSize;
        }

        public void setMaxPayloadSize(DataSize maxPayloadSize) {
            if (maxPayloadSize.toBytes() < 1) {
                throw new IllegalArgumentException(
                        "eventbus.outbox.max-payload-size must be positive, but was " + maxPayloadSize);
            }
            this.maxPayloadSize = maxPayloadSize;
        }

        public Relay getRelay() {
            return this.relay;
        }

    }

    /**
     * The relay that moves outbox events to the broker.
     */
    public static class Relay {

        private static final int MAX_BATCH_SIZE = 10_000;

        /**
         * Whether this instance runs the relay that sends outbox events to the broker.
         */
        private boolean enabled = true;

        /**
         * How often the relay looks for events when no commit woke it.
         */
        private Duration pollInterval = Duration.ofMillis(500);

        /**
         * Most events the relay sends per round.
         */
        private int batchSize = 500;

        /**
         * Rounds this instance runs at the same time, each on its own lanes and connection, so
         * that one round reads and marks rows while another waits for the broker.
         */
        private int concurrency = 2;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getPollInterval() {
            return this.pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = requirePositive("eventbus.outbox.relay.poll-interval", pollInterval);
        }

        public int getBatchSize() {
            return this.batchSize;
        }

        public void setBatchSize(int batchSize) {
            if (batchSize > MAX_BATCH_SIZE) {
                throw new IllegalArgumentException("eventbus.outbox.relay.batch-size must be at most " + MAX_BATCH_SIZE
                        + ", but was " + batchSize);
            }
            this.batchSize = requirePositive("eventbus.outbox.relay.batch-size", batchSize);
        }

        public int getConcurrency() {
            return this.concurrency;
        }

        public void setConcurrency(int concurrency) {
            if (concurrency > OutboxLanes.COUNT / 2) {
                throw new IllegalArgumentException("eventbus.outbox.relay.concurrency must be at most "
                        + OutboxLanes.COUNT / 2 + ", but was " + concurrency);
            }
            this.concurrency = requirePositive("eventbus.outbox.relay.concurrency", concurrency);
        }

    }

    /**
     * The eventbus health indicator.
     */
    public static class Health {

        /**
         * Age of the oldest unpublished event above which the eventbus health is DOWN.
         */
        private Duration maxOutboxLag = Duration.ofMinutes(1);

        public Duration getMaxOutboxLag() {
            return this.maxOutboxLag;
        }

        public void setMaxOutboxLag(Duration maxOutboxLag) {
            this.maxOutboxLag = requirePositive("eventbus.health.max-outbox-lag", maxOutboxLag);
        }

    }

    /**
     * The consumers of {@code @EventHandler} methods.
     */
    public static class Consumer {

        /**
         * Whether listener containers are started for @EventHandler methods.
         */
        private boolean enabled = true;

        /**
         * Consumer group of handlers that name none. Defaults to spring.application.name.
         */
        private @Nullable String group;

        /**
         * Listener threads per topic.
         */
        private int concurrency = 1;

        /**
         * Longest time a handler invocation, with its transaction, may run before it is failed and
         * rolled back, then retried or dead-lettered.
         */
        private Duration handlerTimeout = Duration.ofSeconds(30);

        /**
         * Longest time stopping the consumers waits for the batches in progress; a handler still
         * running then is abandoned, and its messages, never acknowledged, are delivered again.
         */
        private Duration shutdownTimeout = Duration.ofSeconds(30);

        private final Retry retry = new Retry();

        /**
         * Settings of single consumer groups, by group name, over the defaults above.
         */
        private Map<String, Group> groups = new LinkedHashMap<>();

        private final DeadLetter deadLetter = new DeadLetter();

        private final Processed processed = new Processed();

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public @Nullable String getGroup() {
            return this.group;
        }

        public void setGroup(@Nullable String group) {
            if (group != null && group.isBlank()) {
                throw new IllegalArgumentException("eventbus.consumer.group must not be blank");
            }
            this.group = group;
        }

        public int getConcurrency() {
            return this.concurrency;
        }

        public void setConcurrency(int concurrency) {
            this.concurrency = requirePositive("eventbus.consumer.concurrency", concurrency);
        }

        public Duration getHandlerTimeout() {
            return this.handlerTimeout;
        }

        public void setHandlerTimeout(Duration handlerTimeout) {
            this.handlerTimeout = requirePositive("eventbus.consumer.handler-timeout", handlerTimeout);
        }

        public Duration getShutdownTimeout() {
            return this.shutdownTimeout;
        }

        public void setShutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = requirePositive("eventbus.consumer.shutdown-timeout", shutdownTimeout);
        }

        public Retry getRetry() {
            return this.retry;
        }

        public Map<String, Group> getGroups() {
            return this.groups;
        }

        public void setGroups(Map<String, Group> groups) {
            this.groups = groups;
        }

        /**
         * The settings of a consumer group: its own where it has them, else the defaults.
         * @param group the consumer group
         * @return the settings, never {@code null}
         */
        public GroupSettings settingsOf(String group) {
            Group overrides = this.groups.getOrDefault(group, new Group());
            GroupRetry retryOverrides = overrides.getRetry();
            return new GroupSettings(orDefault(overrides.getConcurrency(), this.concurrency),
                    orDefault(overrides.getHandlerTimeout(), this.handlerTimeout),
                    orDefault(retryOverrides.getMaxAttempts(), this.retry.getMaxAttempts()),
                    orDefault(retryOverrides.getInitialBackoff(), this.retry.getInitialBackoff()),
                    orDefault(retryOverrides.getMultiplier(), this.retry.getMultiplier()),
                    orDefault(retryOverrides.getMaxBackoff(), this.retry.getMaxBackoff()),
                    orDefault(retryOverrides.getNonRetryable(), this.retry.getNonRetryable()));
        }

        private static <T> T orDefault(@Nullable T value, T defaultValue) {
            return (value != null) ? value : defaultValue;
        }

        public DeadLetter getDeadLetter() {
            return this.deadLetter;
        }

        public Processed getProcessed() {
            return this.processed;
        }

    }

    /**
     * The settings of one consumer group; those left unset are the defaults of
     * {@code eventbus.consumer.*}.
     */
    public static class Group {

        /**
         * Listener threads per topic for this group.
         */
        private @Nullable Integer concurrency;

        /**
         * Longest time a handler invocation of this group, with its transaction, may run.
         */
        private @Nullable Duration handlerTimeout;

        private final GroupRetry retry = new GroupRetry();

        public @Nullable Integer getConcurrency() {
            return this.concurrency;
        }

        public void setConcurrency(@Nullable Integer concurrency) {
            this.concurrency = (concurrency != null)
                    ? requirePositive("eventbus.consumer.groups.<group>.concurrency", concurrency) : null;
        }

        public @Nullable Duration getHandlerTimeout() {
            return this.handlerTimeout;
        }

        public void setHandlerTimeout(@Nullable Duration handlerTimeout) {
            this.handlerTimeout = (handlerTimeout != null)
                    ? requirePositive("eventbus.consumer.groups.<group>.handler-timeout", handlerTimeout) : null;
        }

        public GroupRetry getRetry() {
            return this.retry;
        }

    }

    /**
     * Retries of one consumer group's failing handlers; those left unset are the defaults of
     * {@code eventbus.consumer.retry.*}.
     */
    public static class GroupRetry {

        /**
         * Attempts per record, the first one included.
         */
        private @Nullable Integer maxAttempts;

        /**
         * Wait before the second attempt.
         */
        private @Nullable Duration initialBackoff;

        /**
         * Factor by which the wait grows after each attempt.
         */
        private @Nullable Double multiplier;

        /**
         * Longest wait between two attempts.
         */
        private @Nullable Duration maxBackoff;

        /**
         * Exceptions that send a record to the dead letters without further attempts.
         */
        private @Nullable List<Class<? extends Throwable>> nonRetryable;

        public @Nullable Integer getMaxAttempts() {
            return this.maxAttempts;
        }

        public void setMaxAttempts(@Nullable Integer maxAttempts) {
            this.maxAttempts = (maxAttempts != null)
                    ? requirePositive("eventbus.consumer.groups.<group>.retry.max-attempts", maxAttempts) : null;
        }

        public @Nullable Duration getInitialBackoff() {
            return this.initialBackoff;
        }

        public void setInitialBackoff(@Nullable Duration initialBackoff) {
            this.initialBackoff = (initialBackoff != null)
                    ? requireNotNegative("eventbus.consumer.groups.<group>.retry.initial-backoff", initialBackoff)
                    : null;
        }

        public @Nullable Double getMultiplier() {
            return this.multiplier;
        }

        public void setMultiplier(@Nullable Double multiplier) {
            if (multiplier != null && !(multiplier >= 1.0)) {
                throw new IllegalArgumentException(
                        "eventbus.consumer.groups.<group>.retry.multiplier must be at least 1.0, but was " + multiplier);
            }
            this.multiplier = multiplier;
        }

        public @Nullable Duration getMaxBackoff() {
            return this.maxBackoff;
        }

        public void setMaxBackoff(@Nullable Duration maxBackoff) {
            this.maxBackoff = (maxBackoff != null)
                    ? requireNotNegative("eventbus.consumer.groups.<group>.retry.max-backoff", maxBackoff) : null;
        }

        public @Nullable List<Class<? extends Throwable>> getNonRetryable() {
            return this.nonRetryable;
        }

        public void setNonRetryable(@Nullable List<Class<? extends Throwable>> nonRetryable) {
            this.nonRetryable = nonRetryable;
        }

    }

    /**
     * Retries of failing handlers.
     */
    public static class Retry {

        /**
         * Attempts per record, the first one included.
         */
        private int maxAttempts = 3;

        /**
         * Wait before the second attempt.
         */
        private Duration initialBackoff = Duration.ofMillis(200);

        /**
         * Factor by which the wait grows after each attempt.
         */
        private double multiplier = 2.0;

        /**
         * Longest wait between two attempts.
         */
        private Duration maxBackoff = Duration.ofSeconds(10);

        /**
         * Exceptions that send a record to the dead-letter topic without further attempts.
         */
        private List<Class<? extends Throwable>> nonRetryable = new ArrayList<>();

        public int getMaxAttempts() {
            return this.maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = requirePositive("eventbus.consumer.retry.max-attempts", maxAttempts);
        }

        public Duration getInitialBackoff() {
            return this.initialBackoff;
        }

        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = requireNotNegative("eventbus.consumer.retry.initial-backoff", initialBackoff);
        }

        public double getMultiplier() {
            return this.multiplier;
        }

        public void setMultiplier(double multiplier) {
            if (!(multiplier >= 1.0)) {
                throw new IllegalArgumentException(
                        "eventbus.consumer.retry.multiplier must be at least 1.0, but was " + multiplier);
            }
            this.multiplier = multiplier;
        }

        public Duration getMaxBackoff() {
            return this.maxBackoff;
        }

        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = requireNotNegative("eventbus.consumer.retry.max-backoff", maxBackoff);
        }

        public List<Class<? extends Throwable>> getNonRetryable() {
            return this.nonRetryable;
        }

        public void setNonRetryable(List<Class<? extends Throwable>> nonRetryable) {
            this.nonRetryable = nonRetryable;
        }

    }

    /**
     * Dead-letter topics.
     */
    public static class DeadLetter {

        /**
         * Suffix appended to a topic's name to name its dead-letter topic.
         */
        private String suffix = "-dlt";

        public String getSuffix() {
            return this.suffix;
        }

        public void setSuffix(String suffix) {
            if (!suffix.matches("[A-Za-z0-9._-]{1,50}")) {
                throw new IllegalArgumentException("eventbus.consumer.dead-letter.suffix is '" + suffix
                        + "', which cannot be part of a topic name");
            }
            this.suffix = suffix;
        }

    }

    /**
     * The processed-event table.
     */
    public static class Processed {

        /**
         * How long processed event ids are kept for deduplication.
         */
        private Duration retention = Duration.ofDays(30);

        public Duration getRetention() {
            return this.retention;
        }

        public void setRetention(Duration retention) {
            this.retention = requirePositive("eventbus.consumer.processed.retention", retention);
        }

    }

    /**
     * The tables eventbus owns.
     */
    public static class Schema {

        /**
         * Whether eventbus runs its own Flyway migrations to create and upgrade its tables.
         */
        private boolean create = true;

        /**
         * Prefix of eventbus's table names; a plain SQL identifier.
         */
        private String tablePrefix = EventbusTables.DEFAULT.prefix();

        public boolean isCreate() {
            return this.create;
        }

        public void setCreate(boolean create) {
            this.create = create;
        }

        public String getTablePrefix() {
            return this.tablePrefix;
        }

        public void setTablePrefix(String tablePrefix) {
            if (!EventbusTables.isPlainIdentifier(tablePrefix)) {
                throw new IllegalArgumentException("eventbus.schema.table-prefix is '" + tablePrefix
                        + "', which is not a plain SQL identifier (letters, digits and underscores)");
            }
            this.tablePrefix = tablePrefix;
        }

    }

}
