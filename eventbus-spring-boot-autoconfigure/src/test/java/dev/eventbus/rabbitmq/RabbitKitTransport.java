package dev.eventbus.rabbitmq;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.rabbitmq.client.GetResponse;
import dev.eventbus.kit.KitTransport;
import dev.eventbus.wire.Partitions;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The kit's view of RabbitMQ, on the machine's server (127.0.0.1:5672): foreign messages with the
 * CloudEvents AMQP binding's headers; what reaches a topic is read from a spy queue bound to all
 * its partitions, dead letters are browsed in {@code T-dlt} and left there.
 */
class RabbitKitTransport implements KitTransport, AutoCloseable {

    static final String HOST = "127.0.0.1";

    static final int PORT = 5672;

    private static final Set<String> KIT_GROUPS = Set.of("kit", "kit-ordered");

    private final CachingConnectionFactory connectionFactory;

    private final RabbitAdmin admin;

    private final RabbitTemplate template;

    private final Partitions partitions = new Partitions(16);

    private final Map<String, List<KitMessage>> seen = new ConcurrentHashMap<>();

    private final Set<String> topics = ConcurrentHashMap.newKeySet();

    private final Set<String> users = ConcurrentHashMap.newKeySet();

    private final int port;

    RabbitKitTransport() {
        this(PORT);
    }

    RabbitKitTransport(int port) {
        this.port = port;
        this.connectionFactory = new CachingConnectionFactory(HOST, port);
        this.connectionFactory.setUsername("guest");
        this.connectionFactory.setPassword("guest");
        this.admin = new RabbitAdmin(this.connectionFactory);
        this.template = new RabbitTemplate(this.connectionFactory);
    }

    int port() {
        return this.port;
    }

    @Override
    public String name() {
        return "rabbitmq";
    }

    @Override
    public Map<String, String> applicationProperties() {
        return Map.of("spring.rabbitmq.host", HOST, "spring.rabbitmq.port", Integer.toString(this.port));
    }

    @Override
    public void createTopic(String topic) {
        this.topics.add(topic);
        this.admin.declareExchange(new DirectExchange(topic, true, false));
        Queue spy = new Queue(spyQueue(topic), true, false, false);
        this.admin.declareQueue(spy);
        for (int partition = 0; partition < this.partitions.count(); partition++) {
            this.admin.declareBinding(new Binding(spy.getName(), Binding.DestinationType.QUEUE, topic,
                    Integer.toString(partition), null));
        }
    }

    /**
     * Deletes a topic's exchange and queues at {@link #close()}, without declaring anything.
     * @param topic the topic
     */
    void deleteExchange(String topic) {
        this.admin.deleteExchange(topic);
    }

    /**
     * Deletes a queue, as an operator would.
     * @param queue the queue
     */
    void deleteQueue(String queue) {
        this.admin.deleteQueue(queue);
    }

    /**
     * Declares a topic's exchange as a fanout exchange, which eventbus's declaration of a direct
     * exchange of that name then fails on; deleted at {@link #close()}.
     * @param topic the topic
     */
    void declareFanoutExchange(String topic) {
        track(topic);
        this.admin.declareExchange(new FanoutExchange(topic, true, false));
    }

    /**
     * Adds a user of the machine's broker, deleted at {@link #close()}, that may configure and
     * read everything and write to every exchange and queue but one.
     * @param user the user's name, which is also its password
     * @param deniedExchange the exchange the user may not publish to
     */
    void addUserDeniedWritesTo(String user, String deniedExchange) {
        this.users.add(user);
        rabbitmqctl("add_user", user, user);
        rabbitmqctl("set_permissions", "-p", "/", user, ".*", "^(?!" + deniedExchange + "$).*", ".*");
    }

    /**
     * Lets a user write everywhere.
     * @param user the user
     */
    void grantAllWrites(String user) {
        rabbitmqctl("set_permissions", "-p", "/", user, ".*", ".*", ".*");
    }

    private static void rabbitmqctl(String... arguments) {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl"));
        command.addAll(List.of(arguments));
        try {
            Path output = Files.createTempFile("rabbitmqctl", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
            boolean exited = process.waitFor(60, TimeUnit.SECONDS);
            String printed = Files.readString(output);
            Files.delete(output);
            if (!exited || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: " + printed);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    void track(String topic) {
        this.topics.add(topic);
    }

    @Override
    public boolean replayRemovesDeadLetters() {
        return true;
    }

    private static String spyQueue(String topic) {
        return topic + ".kit-spy";
    }

    @Override
    public void send(String topic, String key, byte[] body, Map<String, String> attributes) {
        MessageProperties properties = new MessageProperties();
        attributes.forEach((name, value) -> {
            if (RabbitHeaders.isContentType(name)) {
                properties.setContentType(value);
            }
            else {
                properties.setHeader(RabbitHeaders.of(name), value);
            }
        });
        properties.setHeader(RabbitHeaders.PARTITION_KEY, key);
        this.template.send(topic, Integer.toString(this.partitions.of(key)), new Message(body, properties));
    }

    @Override
    public void sendStructured(String topic, String key, byte[] envelope) {
        MessageProperties properties = new MessageProperties();
        properties.setContentType("application/cloudevents+json; charset=UTF-8");
        this.template.send(topic, Integer.toString(this.partitions.of(key)), new Message(envelope, properties));
    }

    @Override
    public List<KitMessage> awaitMessages(String topic, Predicate<List<KitMessage>> until, Duration timeout) {
        List<KitMessage> messages = this.seen.computeIfAbsent(topic, (name) -> new ArrayList<>());
        return await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
            GetResponse response;
            while ((response = this.template.execute((channel) -> channel.basicGet(spyQueue(topic), true))) != null) {
                messages.add(message(response));
            }
            return List.copyOf(messages);
        }, until);
    }

    @Override
    public List<KitMessage> awaitDeadLetters(String topic, Predicate<List<KitMessage>> until, Duration timeout) {
        List<KitMessage> deadLetters = await().atMost(timeout).pollInterval(Duration.ofMillis(100))
            .until(() -> this.template.execute((channel) -> {
                List<KitMessage> browsed = new ArrayList<>();
                try {
                    GetResponse response;
                    while ((response = channel.basicGet(topic + "-dlt", false)) != null) {
                        browsed.add(message(response));
                    }
                }
                finally {
                    channel.basicRecover(true);
                }
                return browsed;
            }), until);
        assertThat(until.test(deadLetters)).isTrue();
        return deadLetters;
    }

    private static KitMessage message(GetResponse response) {
        Map<String, String> attributes = new HashMap<>();
        Map<String, String> headers = new HashMap<>();
        if (response.getProps().getHeaders() != null) {
            response.getProps().getHeaders().forEach((name, value) -> headers.put(name, String.valueOf(value)));
        }
        headers.forEach((name, value) -> {
            if (name.startsWith(RabbitHeaders.PREFIX) && !name.equals(RabbitHeaders.PARTITION_KEY)) {
                attributes.put(name.substring(RabbitHeaders.PREFIX.length()), value);
            }
        });
        if (response.getProps().getContentType() != null) {
            attributes.put("datacontenttype", response.getProps().getContentType());
        }
        String attempts = headers.get(RabbitHeaders.ATTEMPTS);
        return new KitMessage(headers.get(RabbitHeaders.PARTITION_KEY), response.getBody(), attributes,
                headers.get(RabbitHeaders.DEAD_LETTER_EXCEPTION), headers.get(RabbitHeaders.DEAD_LETTER_MESSAGE),
                (attempts != null) ? Integer.valueOf(attempts) : null);
    }

    /**
     * Deletes what this run declared: the topics' exchanges, spy queues, dead-letter queues and
     * the kit groups' partition queues, and the users it added.
     */
    @Override
    public void close() {
        try {
            for (String topic : this.topics) {
                this.admin.deleteQueue(spyQueue(topic));
                this.admin.deleteQueue(topic + "-dlt");
                for (String group : KIT_GROUPS) {
                    for (int partition = 0; partition < this.partitions.count(); partition++) {
                        this.admin.deleteQueue(RabbitTopology.queue(topic, group, partition));
                    }
                }
                this.admin.deleteExchange(topic);
            }
            this.connectionFactory.destroy();
        }
        finally {
            for (String user : this.users) {
                try {
                    rabbitmqctl("delete_user", user);
                }
                catch (RuntimeException ex) {
                    System.err.println("Could not delete the RabbitMQ user " + user + ": " + ex.getMessage());
                }
            }
        }
    }

}
