package dev.eventbus.nats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.nats.client.Connection;
import io.nats.client.impl.ErrorListenerLoggerImpl;
import org.jspecify.annotations.Nullable;

/**
 * The error listener of eventbus's NATS connection, which logs as jnats does by default and
 * remembers when the server denied publishing to a subject. The server drops a message its
 * user may not publish and tells only the connection, as the error
 * {@code Permissions Violation for Publish to "<subject>"}; this listener fails the publish acks
 * awaited for that subject with a {@link PublishDeniedException} at once, so the relay parks them
 * instead of waiting for an ack that never comes.
 * <p>
 * An application that brings its own {@link Connection} passes this bean to
 * {@code Options.Builder.errorListener}, or calls {@link #errorOccurred} from its own listener;
 * without it, a denied publish times out and is retried.
 */
public class NatsPublishPermissions extends ErrorListenerLoggerImpl {

    private static final String VIOLATION = "Permissions Violation for Publish to ";

    private final Map<String, Long> deniedAt = new ConcurrentHashMap<>();

    private final Map<String, Set<CompletableFuture<?>>> awaited = new ConcurrentHashMap<>();

    @Override
    public void errorOccurred(Connection connection, String error) {
        String subject = deniedSubject(error);
        if (subject != null) {
            this.deniedAt.put(subject, System.nanoTime());
            Set<CompletableFuture<?>> acks = this.awaited.get(subject);
            if (acks != null) {
                acks.forEach((ack) -> ack.completeExceptionally(denied(subject)));
            }
        }
        super.errorOccurred(connection, error);
    }

    /**
     * Fails a publish's ack with a {@link PublishDeniedException} if the server denies or denied
     * publishing to its subject since it was published.
     * @param subject the subject published to
     * @param publishedAt {@link System#nanoTime()} before the publish
     * @param ack the publish's ack
     */
    public void await(String subject, long publishedAt, CompletableFuture<?> ack) {
        Set<CompletableFuture<?>> acks = this.awaited.computeIfAbsent(subject, (key) -> ConcurrentHashMap.newKeySet());
        acks.add(ack);
        ack.whenComplete((result, failure) -> acks.remove(ack));
        Long denied = this.deniedAt.get(subject);
        if (denied != null && denied - publishedAt >= 0) {
            ack.completeExceptionally(denied(subject));
        }
    }

    /**
     * The subjects the server denied publishing to since a point in time.
     * @param since a {@link System#nanoTime()}
     * @return the subjects
     */
    public List<String> deniedSince(long since) {
        List<String> subjects = new ArrayList<>();
        this.deniedAt.forEach((subject, at) -> {
            if (at - since >= 0) {
                subjects.add(subject);
            }
        });
        return subjects;
    }

    static @Nullable String deniedSubject(String error) {
        int start = error.indexOf(VIOLATION);
        if (start < 0) {
            return null;
        }
        String subject = error.substring(start + VIOLATION.length()).strip();
        if (subject.endsWith("'")) {
            subject = subject.substring(0, subject.length() - 1);
        }
        return (subject.length() > 1 && subject.startsWith("\"") && subject.endsWith("\""))
                ? subject.substring(1, subject.length() - 1) : null;
    }

    private static PublishDeniedException denied(String subject) {
        return new PublishDeniedException("The server denied publishing to " + subject
                + " (Permissions Violation): grant the user publish permission for it");
    }

}
