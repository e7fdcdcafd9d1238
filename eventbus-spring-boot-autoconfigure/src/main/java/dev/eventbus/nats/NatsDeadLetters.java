package dev.eventbus.nats;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.eventbus.transport.DeadLetterReplayer;
import dev.eventbus.transport.DeadLetterSink;
import dev.eventbus.transport.InboundMessage;
import dev.eventbus.wire.CloudEventAttributes;
import dev.eventbus.wire.Partitions;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.PublishOptions;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.Headers;
import org.jspecify.annotations.Nullable;

/**
 * The dead letters of the NATS transport, in the stream {@code <stream>-dlt} on subject
 * {@code T-dlt}: published asynchronously with the message's body and headers plus the cause,
 * group, partition and attempts, and awaited in {@link #flush()}; a message given up twice by one
 * group is stored once. Replay publishes them back to their partition's subject without those
 * headers, with their event ids, and then deletes them from the dead-letter stream.
 */
public class NatsDeadLetters implements DeadLetterSink, DeadLetterReplayer {

    private static final int MAX_CAUSE_MESSAGE = 2000;

    private static final int NO_MESSAGE = 10037;

    private final JetStream jetStream;

    private final JetStreamManagement management;

    private final Partitions partitions;

    private final Duration ackTimeout;

    private final ThreadLocal<List<CompletableFuture<PublishAck>>> pending = ThreadLocal.withInitial(ArrayList::new);

    /**
     * Creates the dead letters.
     * @param jetStream publishes
     * @param management reads and deletes dead letters
     * @param partitions the partitions, for dead letters without their partition header
     * @param ackTimeout how long a flush waits for all its acks, and a replay for each
     */
    public NatsDeadLetters(JetStream jetStream, JetStreamManagement management, Partitions partitions,
            Duration ackTimeout) {
        this.jetStream = jetStream;
        this.management = management;
        this.partitions = partitions;
        this.ackTimeout = ackTimeout;
    }

    @Override
    public void deadLetter(String group, InboundMessage message, Exception cause, int attempts) {
        Headers headers = new Headers();
        message.headers().forEach((name, value) -> {
            if (!NatsHeaders.isDeadLetterHeader(name) && !name.equals(NatsHeaders.ENCODING)) {
                NatsHeaderValues.put(headers, name, value);
            }
        });
        String causeMessage = (cause.getMessage() != null) ? cause.getMessage() : "";
        headers.put(NatsHeaders.DEAD_LETTER_EXCEPTION, cause.getClass().getName());
        String bounded = (causeMessage.length() > MAX_CAUSE_MESSAGE) ? causeMessage.substring(0, MAX_CAUSE_MESSAGE)
                : causeMessage;
        NatsHeaderValues.put(headers, NatsHeaders.DEAD_LETTER_MESSAGE, oneLine(bounded));
        NatsHeaderValues.put(headers, NatsHeaders.DEAD_LETTER_GROUP, group);
        headers.put(NatsHeaders.DEAD_LETTER_PARTITION, Integer.toString(message.partition()));
        headers.put(NatsHeaders.ATTEMPTS, Integer.toString(attempts));
        byte[] body = (message.body() != null) ? message.body() : new byte[0];
        this.pending.get().add(this.jetStream.publishAsync(NatsStreams.deadLetterSubject(message.topic()), headers,
                body, PublishOptions.builder()
                    .messageId("dlt-" + group + "-" + message.topic() + "-" + message.offset())
                    .build()));
    }

    private static String oneLine(String text) {
        return text.replace('\r', ' ').replace('\n', ' ');
    }

    @Override
    public void flush() {
        List<CompletableFuture<PublishAck>> futures = this.pending.get();
        long deadline = System.nanoTime() + this.ackTimeout.toNanos();
        try {
            for (CompletableFuture<PublishAck> future : futures) {
                await(future, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
        }
        finally {
            futures.clear();
        }
    }

    private void await(CompletableFuture<PublishAck> future, Duration timeout) {
        try {
            future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (ExecutionException ex) {
            throw new IllegalStateException("A dead letter was not stored: " + ex.getCause().getMessage(), ex);
        }
        catch (TimeoutException ex) {
            throw new IllegalStateException("A dead letter was not acknowledged within " + this.ackTimeout, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while storing a dead letter", ex);
        }
    }

    /**
     * Replays the dead letters of a topic stored when the replay began, oldest first.
     */
    @Override
    public int replay(String topic, @Nullable String group, @Nullable Set<String> eventIds, @Nullable Integer limit) {
        String stream = NatsStreams.deadLetterStream(topic);
        StreamInfo info;
        try {
            info = this.management.getStreamInfo(stream);
        }
        catch (JetStreamApiException ex) {
            return 0;
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot read stream " + stream + ": " + ex.getMessage(), ex);
        }
        long last = info.getStreamState().getLastSequence();
        int replayed = 0;
        for (long sequence = info.getStreamState().getFirstSequence(); sequence <= last
                && (limit == null || replayed < limit); sequence++) {
            MessageInfo deadLetter = read(stream, sequence);
            if (deadLetter == null || !selected(deadLetter, group, eventIds)) {
                continue;
            }
            replay(topic, deadLetter);
            try {
                this.management.deleteMessage(stream, sequence);
            }
            catch (IOException | JetStreamApiException ex) {
                throw new IllegalStateException("Replayed dead letter " + sequence + " of " + stream
                        + " could not be deleted; replaying again handles it as a duplicate", ex);
            }
            replayed++;
        }
        return replayed;
    }

    private @Nullable MessageInfo read(String stream, long sequence) {
        try {
            return this.management.getMessage(stream, sequence);
        }
        catch (JetStreamApiException ex) {
            if (ex.getApiErrorCode() == NO_MESSAGE) {
                return null;
            }
            throw new IllegalStateException("Cannot read dead letter " + sequence + " of " + stream, ex);
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot read dead letter " + sequence + " of " + stream, ex);
        }
    }

    private static boolean selected(MessageInfo deadLetter, @Nullable String group, @Nullable Set<String> eventIds) {
        Headers headers = deadLetter.getHeaders();
        String deadLetteredBy = NatsHeaderValues.read(headers, NatsHeaders.DEAD_LETTER_GROUP);
        if (group != null && !group.equals(deadLetteredBy)) {
            return false;
        }
        if (eventIds == null) {
            return true;
        }
        String id = NatsHeaderValues.read(headers, NatsHeaders.of(CloudEventAttributes.ID));
        return id != null && eventIds.contains(id);
    }

    private void replay(String topic, MessageInfo deadLetter) {
        Headers headers = new Headers();
        String partition = null;
        if (deadLetter.getHeaders() != null) {
            for (Map.Entry<String, List<String>> header : deadLetter.getHeaders().entrySet()) {
                if (header.getKey().equals(NatsHeaders.DEAD_LETTER_PARTITION) && !header.getValue().isEmpty()) {
                    partition = header.getValue().get(0);
                }
                if (header.getKey().equals(NatsHeaders.DEAD_LETTER_GROUP) && !header.getValue().isEmpty()) {
                    headers.put(GROUP_HEADER, header.getValue().get(0));
                }
                if (!NatsHeaders.isDeadLetterHeader(header.getKey()) && !header.getKey().equals(GROUP_HEADER)) {
                    headers.put(header.getKey(), header.getValue());
                }
            }
        }
        String subject = NatsStreams.subject(topic, (partition != null) ? Integer.parseInt(partition)
                : this.partitions.of(NatsHeaderValues.read(headers, NatsHeaders.PARTITION_KEY)));
        byte[] body = (deadLetter.getData() != null) ? deadLetter.getData() : new byte[0];
        await(this.jetStream.publishAsync(subject, headers, body,
                PublishOptions.builder().messageId("replay-" + topic + "-" + deadLetter.getSeq()).build()),
                this.ackTimeout);
    }

}
