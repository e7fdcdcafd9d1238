package dev.eventbus.nats;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NatsPublishPermissionsTests {

    private final NatsPublishPermissions permissions = new NatsPublishPermissions();

    @Test
    void subjectIsReadFromTheServersPermissionsViolation() {
        assertThat(NatsPublishPermissions.deniedSubject("Permissions Violation for Publish to \"orders.3\"")).isEqualTo("orders.3");
        assertThat(NatsPublishPermissions.deniedSubject("Permissions Violation for Subscription to \"orders.3\"")).isNull();
        assertThat(NatsPublishPermissions.deniedSubject("Maximum Payload Violation")).isNull();
    }

    @Test
    void ackAwaitedForADeniedSubjectFailsAtOnceWhicheverArrivesFirst() {
        CompletableFuture<Object> awaitedFirst = new CompletableFuture<>();
        this.permissions.await("orders.3", System.nanoTime(), awaitedFirst);
        CompletableFuture<Object> otherSubject = new CompletableFuture<>();
        this.permissions.await("orders.4", System.nanoTime(), otherSubject);

        this.permissions.errorOccurred(null, "Permissions Violation for Publish to \"orders.3\"");
        CompletableFuture<Object> awaitedAfter = new CompletableFuture<>();
        this.permissions.await("orders.3", System.nanoTime() - 1_000_000_000L, awaitedAfter);

        assertThat(awaitedFirst).failsWithin(Duration.ZERO)
            .withThrowableThat()
            .withCauseInstanceOf(PublishDeniedException.class)
            .withMessageContaining("orders.3");
        assertThat(awaitedAfter).isCompletedExceptionally();
        assertThat(otherSubject).isNotDone();
    }

    @Test
    void violationBeforeThePublishDoesNotFailIt() {
        this.permissions.errorOccurred(null, "Permissions Violation for Publish to \"orders.3\"");
        CompletableFuture<Object> ack = new CompletableFuture<>();

        this.permissions.await("orders.3", System.nanoTime(), ack);

        assertThat(ack).isNotDone();
    }

    @Test
    void answerFailedOrCompletedIsNoLongerAwaited() {
        CompletableFuture<Object> acknowledged = new CompletableFuture<>();
        this.permissions.await("orders.3", System.nanoTime(), acknowledged);
        acknowledged.complete("ack");

        this.permissions.errorOccurred(null, "Permissions Violation for Publish to \"orders.3\"");

        assertThat(acknowledged).isCompletedWithValue("ack");
    }

}
