package dev.eventbus.nats;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

import dev.eventbus.outbox.OutboxEvent;
import dev.eventbus.outbox.PendingOutboxEvent;
import dev.eventbus.transport.OutboxTransport;
import dev.eventbus.transport.SendOutcome;
import dev.eventbus.transport.TopicDeclarations;
import dev.eventbus.wire.CloudEventAttributes;
import dev.eventbus.wire.Partitions;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;

/**
 * The relay side of the NATS transport: publishes a round's events asynchronously to
 * {@code T.<p>}, in outbox order on one connection, with {@code Nats-Msg-Id} = event id and the
 * CloudEvents NATS binding's headers, then awaits the publish acks together. A message larger than
 * the server's maximum payload is refused for good and parked, and so are the events of a topic
 * whose stream cannot take them ({@link StreamRefusedException}) or whose subjects the user may
 * not publish to ({@link NatsPublishPermissions}); a missing ack or an unreachable
 * server keeps the rest pending. The server drops a second publish of an event id within the
 * stream's duplicate window, so a round repeated after a crash adds no duplicates. After a failed
 * publish, the next round checks that the topic's stream exists, and creates it if it was deleted.
 */
public class NatsOutboxTransport implements OutboxTransport {

    private static final String STREAM_API = "$JS.API.STREAM.";

    private final JetStream jetStream;

    private final NatsStreams streams;

    private final Partitions partitions;

    private final LongSupplier maxPayload;

    private final Duration ackTimeout;

    private final NatsPublishPermissions permissions;

    /**
     * Creates the transport.
     * @param jetStream publishes
     * @param streams creates the streams
     * @param partitions the partitions of every topic
     * @param maxPayload the server's maximum payload in bytes, headers included, as the connection
     * knows it
     * @param ackTimeout how long a round waits for its acks
     * @param permissions tells the publishes the server denied, if it is the connection's error
     * listener
     */
    public NatsOutboxTransport(JetStream jetStream, NatsStreams streams, Partitions partitions, LongSupplier maxPayload,
            Duration ackTimeout, NatsPublishPermissions permissions) {
        this.jetStream = jetStream;
        this.streams = streams;
        this.partitions = partitions;
        this.maxPayload = maxPayload;
        this.ackTimeout = ackTimeout;
        this.permissions = permissions;
    }

    @Override
    public SendOutcome send(List<PendingOutboxEvent> events) {
        Map<Long, CompletableFuture<PublishAck>> published = new LinkedHashMap<>();
        Map<Long, Throwable> refused = new LinkedHashMap<>();
        TopicDeclarations topicStreams = new TopicDeclarations(this::ensureStream,
                StreamRefusedException.class::isInstance);
        Throwable failure = null;
        long maxPayload = this.maxPayload.getAsLong();
        for (PendingOutboxEvent pending : events) {
            OutboxEvent event = pending.event();
            byte[] body = event.payload().getBytes(StandardCharsets.UTF_8);
            Headers headers = headers(event);
            headers.put(NatsHeaders.MESSAGE_ID, event.eventId().toString());
            long size = body.length + headers.serializedLength();
            if (maxPayload > 0 && size > maxPayload) {
                refused.put(pending.id(), new IllegalArgumentException("The message of event " + event.eventId()
                        + " has " + size + " bytes, more than the server's max_payload of " + maxPayload));
                continue;
            }
            try {
                Throwable refusal = topicStreams.declare(event.topic());
                if (refusal != null) {
                    refused.put(pending.id(), refusal);
                    continue;
                }
                String subject = NatsStreams.subject(event.topic(), this.partitions.of(event.key()));
                long publishedAt = System.nanoTime();
                CompletableFuture<PublishAck> ack = this.jetStream.publishAsync(subject, headers, body);
                this.permissions.await(subject, publishedAt, ack);
                published.put(pending.id(), ack);
            }
            catch (RuntimeException ex) {
                failure = ex;
                break;
            }
        }
        List<Long> acknowledged = new ArrayList<>(published.size());
        long deadline = System.nanoTime() + this.ackTimeout.toNanos();
        for (Map.Entry<Long, CompletableFuture<PublishAck>> entry : published.entrySet()) {
            try {
                entry.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                acknowledged.add(entry.getKey());
            }
            catch (ExecutionException ex) {
                Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
                if (isRefusal(cause)) {
                    refused.put(entry.getKey(), cause);
                }
                else if (failure == null) {
                    failure = cause;
                }
            }
            catch (TimeoutException ex) {
                if (failure == null) {
                    failure = new IllegalStateException("No publish ack within " + this.ackTimeout, ex);
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                if (failure == null) {
                    failure = ex;
                }
                break;
            }
        }
        if (failure != null) {
            events.forEach((pending) -> this.streams.forget(pending.event().topic()));
        }
        return new SendOutcome(acknowledged, refused, failure);
    }

    /**
     * Ensures a topic's stream. The server drops a stream request the user may not make and
     * reports it only to the connection, so the request runs on a thread of its own, and a denial
     * of the stream's info or create request ends the wait at once as a refusal.
     */
    private void ensureStream(String topic) {
        if (this.streams.isEnsured(topic)) {
            return;
        }
        String stream = NatsStreams.stream(topic);
        CompletableFuture<Void> ensured = new CompletableFuture<>();
        long start = System.nanoTime();
        this.permissions.await(STREAM_API + "INFO." + stream, start, ensured);
        this.permissions.await(STREAM_API + "CREATE." + stream, start, ensured);
        Thread request = new Thread(() -> {
            try {
                this.streams.ensureStream(topic);
                ensured.complete(null);
            }
            catch (Throwable ex) {
                ensured.completeExceptionally(ex);
            }
        }, "eventbus-nats-stream-" + stream);
        request.setDaemon(true);
        request.start();
        try {
            ensured.join();
        }
        catch (CompletionException ex) {
            if (ex.getCause() instanceof PublishDeniedException denied) {
                throw new StreamRefusedException("Cannot read or create stream " + stream + ": " + denied.getMessage());
            }
            throw (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
        }
    }

    private static boolean isRefusal(Throwable cause) {
        return cause instanceof PublishDeniedException
                || cause instanceof JetStreamApiException api && (api.getErrorCode() == 413 || api.getErrorCode() == 400);
    }

    static Headers headers(OutboxEvent event) {
        Headers headers = new Headers();
        headers.put(NatsHeaders.of(CloudEventAttributes.SPEC_VERSION), CloudEventAttributes.SPEC_VERSION_1_0);
        headers.put(NatsHeaders.of(CloudEventAttributes.ID), event.eventId().toString());
        NatsHeaderValues.put(headers, NatsHeaders.of(CloudEventAttributes.SOURCE), event.source());
        NatsHeaderValues.put(headers, NatsHeaders.of(CloudEventAttributes.TYPE), event.type());
        headers.put(NatsHeaders.of(CloudEventAttributes.TIME), DateTimeFormatter.ISO_INSTANT.format(event.occurredAt()));
        headers.put(NatsHeaders.of(CloudEventAttributes.EVENT_VERSION), Integer.toString(event.version()));
        headers.put(NatsHeaders.CONTENT_TYPE, CloudEventAttributes.APPLICATION_JSON);
        if (event.key() != null) {
            NatsHeaderValues.put(headers, NatsHeaders.PARTITION_KEY, event.key());
        }
        event.headers().forEach((name, value) -> NatsHeaderValues.put(headers, name, value));
        return headers;
    }

}
