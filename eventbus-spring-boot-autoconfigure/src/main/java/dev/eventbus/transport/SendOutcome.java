package dev.eventbus.transport;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What the broker answered to the events of one relay round.
 *
 * @param acknowledged the outbox row ids the broker acknowledged
 * @param failure the first failure, or {@code null} if every event was acknowledged
 * @since 0.2.0
 */
public record SendOutcome(List<Long> acknowledged, @Nullable Throwable failure) {

}
