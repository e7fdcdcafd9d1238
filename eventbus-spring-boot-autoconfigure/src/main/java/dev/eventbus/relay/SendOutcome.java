package dev.eventbus.relay;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What happened to the events of one relay round.
 *
 * @param acknowledged the outbox row ids the broker acknowledged
 * @param failure the first failure, or {@code null} if every event was acknowledged
 */
public record SendOutcome(List<Long> acknowledged, @Nullable Throwable failure) {

}
