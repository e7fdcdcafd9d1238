package dev.eventbus.transport;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What the broker answered to the events of one relay round.
 *
 * @param acknowledged the outbox row ids the broker acknowledged
 * @param refused the rows the broker refused for a reason that sending again cannot cure (too
 * large, invalid or unknown topic, not authorized, unroutable), with the reason, by row id; the
 * relay parks them and their lanes go on
 * @param failure the first failure that sending again may cure (broker down, timeout), or
 * {@code null}; the rows neither acknowledged nor refused stay pending
 * @since 0.2.0
 */
public record SendOutcome(List<Long> acknowledged, Map<Long, Throwable> refused, @Nullable Throwable failure) {

}
