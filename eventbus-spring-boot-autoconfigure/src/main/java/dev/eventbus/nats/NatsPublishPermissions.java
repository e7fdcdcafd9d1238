package dev.eventbus.nats;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.nats.client.Connection;
import io.nats.client.impl.ErrorListenerLoggerImpl;
import org.jspecify.annotations.Nullable;

/**
 * The error listener of eventbus's NATS connection, which logs as jnats does by default and
 * tells the relay when the server denied publishing to a subject. The server drops a message its
 * user may not publish and tells only the connection, as the error
 * {@code Permissions Violation for Publish to "<subject>"}; this listener then fails what is
 * awaited for that subject (a publish ack, a stream request) with a {@link PublishDeniedException}
 * at once, so the relay parks those events instead of waiting for an answer that never comes.
 * A denial fails every publish of that subject still awaiting its ack, those sent before the
 * permission changed included; retried, they are duplicates on the wire only.
 * <p>
 * An application that brings its own {@link Connection} passes this bean to
 * {@code Options.Builder.errorListener}, or calls {@link #errorOccurred} from its own listener;
 * without it, a denied publish times out and is retried.
 *
 * @since 0.2.0
 */
public class NatsPublishPermissions extends ErrorListenerLoggerImpl {

    private static final String VIOLATION = "Permissions Violation for Publish to ";

    /** Longer than anything waits for an ack, so older denials cannot concern a waiting publish. */
    private static final long REMEMBERED = Duration.ofMinutes(1).toNanos();

    private final Map<String, Long> deniedAt = new ConcurrentHashMap<>();

    private final Map<String, Set<CompletableFuture<?>>> awaited = new ConcurrentHashMap<>();

    @Override
    public void errorOccurred(Connection connection, String error) {
        String subject = deniedSubject(error);
        if (subject != null) {
            long now = System.nanoTime();
            this.deniedAt.values().removeIf((at) -> now - at > REMEMBERED);
            this.deniedAt.put(subject, now);
            Set<CompletableFuture<?>> waiting = this.awaited.get(subject);
            if (waiting != null) {
                waiting.forEach((answer) -> answer.completeExceptionally(denied(subject)));
            }
        }
        super.errorOccurred(connection, error);
    }

    /**
     * Fails an answer awaited for a message published to a subject with a
     * {@link PublishDeniedException} if the server denies or denied publishing to that subject
     * since the message was published.
     * @param subject the subject published to
     * @param publishedAt {@link System#nanoTime()} before the publish
     * @param answer the publish's ack, or the reply of a request
     */
    public void await(String subject, long publishedAt, CompletableFuture<?> answer) {
        this.awaited.compute(subject, (key, waiting) -> {
            Set<CompletableFuture<?>> answers = (waiting != null) ? waiting : ConcurrentHashMap.newKeySet();
            answers.add(answer);
            return answers;
        });
        answer.whenComplete((result, failure) -> this.awaited.computeIfPresent(subject, (key, waiting) -> {
            waiting.remove(answer);
            return waiting.isEmpty() ? null : waiting;
        }));
        Long denied = this.deniedAt.get(subject);
        if (denied != null && denied - publishedAt >= 0) {
            answer.completeExceptionally(denied(subject));
        }
    }

    static @Nullable String deniedSubject(String error) {
        int start = error.indexOf(VIOLATION);
        if (start < 0) {
            return null;
        }
        String subject = error.substring(start + VIOLATION.length()).strip();
        return (subject.length() > 1 && subject.startsWith("\"") && subject.endsWith("\""))
                ? subject.substring(1, subject.length() - 1) : null;
    }

    private static PublishDeniedException denied(String subject) {
        return new PublishDeniedException("The server denied publishing to " + subject
                + " (Permissions Violation): grant the user publish permission for it");
    }

}
