package dev.eventbus.nats;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the NATS JetStream transport. Each setter refuses a value that cannot work,
 * naming the property, so a bad configuration stops the application at start-up; combinations are
 * checked by {@link #validate()}.
 *
 * @since 0.2.0
 */
@ConfigurationProperties("eventbus.nats")
public class NatsTransportProperties {

    /**
     * Server URL, or several separated by commas.
     */
    private String url = "nats://localhost:4222";

    /**
     * Credentials file (JWT and NKey seed) for decentralized authentication.
     */
    private @Nullable Path credentials;

    /**
     * Token for token authentication.
     */
    private @Nullable String token;

    /**
     * User for user and password authentication.
     */
    private @Nullable String username;

    /**
     * Password for user and password authentication.
     */
    private @Nullable String password;

    /**
     * Whether to connect with TLS, with the JVM's default trust store.
     */
    private boolean tls;

    /**
     * Name of the connection as the server shows it. Defaults to spring.application.name.
     */
    private @Nullable String connectionName;

    /**
     * Window in which the server drops a second publish of the same event id.
     */
    private Duration duplicateWindow = Duration.ofMinutes(2);

    private final Stream stream = new Stream();

    public String getUrl() {
        return this.url;
    }

    public void setUrl(String url) {
        for (String server : url.split(",")) {
            URI uri;
            try {
                uri = URI.create(server.trim());
            }
            catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("eventbus.nats.url has '" + server + "', which is not a URL", ex);
            }
            String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
            if (!scheme.equals("nats") && !scheme.equals("tls") && !scheme.equals("ws") && !scheme.equals("wss")
                    || uri.getHost() == null) {
                throw new IllegalArgumentException("eventbus.nats.url has '" + server
                        + "', which is not a nats://, tls://, ws:// or wss:// URL with a host");
            }
        }
        this.url = url;
    }

    public @Nullable Path getCredentials() {
        return this.credentials;
    }

    public void setCredentials(@Nullable Path credentials) {
        if (credentials != null && !Files.isReadable(credentials)) {
            throw new IllegalArgumentException("eventbus.nats.credentials is '" + credentials
                    + "', which is not a readable file");
        }
        this.credentials = credentials;
    }

    public @Nullable String getToken() {
        return this.token;
    }

    public void setToken(@Nullable String token) {
        this.token = token;
    }

    public @Nullable String getUsername() {
        return this.username;
    }

    public void setUsername(@Nullable String username) {
        this.username = username;
    }

    public @Nullable String getPassword() {
        return this.password;
    }

    public void setPassword(@Nullable String password) {
        this.password = password;
    }

    public boolean isTls() {
        return this.tls;
    }

    public void setTls(boolean tls) {
        this.tls = tls;
    }

    public @Nullable String getConnectionName() {
        return this.connectionName;
    }

    public void setConnectionName(@Nullable String connectionName) {
        this.connectionName = connectionName;
    }

    public Duration getDuplicateWindow() {
        return this.duplicateWindow;
    }

    public void setDuplicateWindow(Duration duplicateWindow) {
        if (duplicateWindow.isNegative() || duplicateWindow.isZero()) {
            throw new IllegalArgumentException("eventbus.nats.duplicate-window must be positive, but was "
                    + duplicateWindow);
        }
        this.duplicateWindow = duplicateWindow;
    }

    public Stream getStream() {
        return this.stream;
    }

    /**
     * Checks the settings together.
     * @throws IllegalArgumentException naming the properties that contradict each other
     */
    public void validate() {
        int methods = ((this.credentials != null) ? 1 : 0) + ((this.token != null) ? 1 : 0)
                + ((this.username != null) ? 1 : 0);
        if (methods > 1) {
            throw new IllegalArgumentException("Set only one of eventbus.nats.credentials, eventbus.nats.token and"
                    + " eventbus.nats.username");
        }
        if ((this.username == null) != (this.password == null)) {
            throw new IllegalArgumentException("eventbus.nats.username and eventbus.nats.password go together");
        }
    }

    /**
     * The streams eventbus creates when they are missing.
     */
    public static class Stream {

        /**
         * Replicas of each stream, 1 to 5.
         */
        private int replicas = 1;

        /**
         * Storage of each stream: file or memory.
         */
        private String storage = "file";

        /**
         * How long a topic's stream keeps a message, at least the duplicate window; by default the
         * longer of eventbus.consumer.processed.retention and eventbus.outbox.retention. Zero keeps
         * messages for ever.
         */
        private @Nullable Duration maxAge;

        public @Nullable Duration getMaxAge() {
            return this.maxAge;
        }

        public void setMaxAge(@Nullable Duration maxAge) {
            if (maxAge != null && maxAge.isNegative()) {
                throw new IllegalArgumentException("eventbus.nats.stream.max-age must not be negative, but was "
                        + maxAge);
            }
            this.maxAge = maxAge;
        }

        public int getReplicas() {
            return this.replicas;
        }

        public void setReplicas(int replicas) {
            if (replicas < 1 || replicas > 5) {
                throw new IllegalArgumentException("eventbus.nats.stream.replicas must be 1 to 5, but was " + replicas);
            }
            this.replicas = replicas;
        }

        public String getStorage() {
            return this.storage;
        }

        public void setStorage(String storage) {
            String normalized = storage.trim().toLowerCase(Locale.ROOT);
            if (!normalized.equals("file") && !normalized.equals("memory")) {
                throw new IllegalArgumentException("eventbus.nats.stream.storage is '" + storage
                        + "'; use file or memory");
            }
            this.storage = normalized;
        }

    }

}
