package dev.eventbus.test;

import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * Recorded events of one class, narrowed step by step: {@code published.ofType(OrderPlaced.class)
 * .withKey("order-1").single().event()}. A snapshot: events recorded later do not appear in it.
 *
 * @param <T> the event class
 * @param <E> the recorded event, {@link PublishedEvent} or {@link HandledEvent}
 * @since 0.2.0
 */
public final class Matches<T, E extends RecordedEvent<T>> implements Iterable<E> {

    private final List<E> events;

    private final String description;

    Matches(List<E> events, String description) {
        this.events = List.copyOf(events);
        this.description = description;
    }

    /**
     * The events with a key.
     * @param key the event key
     * @return the narrowed matches
     */
    public Matches<T, E> withKey(@Nullable String key) {
        return matching((event) -> Objects.equals(event.key(), key), "key " + key);
    }

    /**
     * The events that satisfy a condition.
     * @param condition the condition, for example on {@code event()}
     * @return the narrowed matches
     */
    public Matches<T, E> matching(Predicate<? super E> condition) {
        return matching(condition, "a condition");
    }

    Matches<T, E> matching(Predicate<? super E> condition, String description) {
        return new Matches<>(this.events.stream().filter(condition).toList(),
                this.description + " with " + description);
    }

    /**
     * The only event.
     * @return the event
     * @throws AssertionError if there is none or more than one
     */
    public E single() {
        if (this.events.size() != 1) {
            throw new AssertionError("Expected exactly one " + this.description + " but found " + this.events.size()
                    + ": " + this.events);
        }
        return this.events.get(0);
    }

    /**
     * The events themselves, in the order they were recorded.
     * @return the events; for handled events, those that could be read as the class
     */
    public List<T> events() {
        return this.events.stream().map(RecordedEvent::event).filter(Objects::nonNull).toList();
    }

    /**
     * The recorded events.
     * @return the events, in the order they were recorded
     */
    public List<E> toList() {
        return this.events;
    }

    /**
     * How many events match.
     * @return the number
     */
    public int size() {
        return this.events.size();
    }

    /**
     * Whether no event matches.
     * @return {@code true} if none does
     */
    public boolean isEmpty() {
        return this.events.isEmpty();
    }

    /**
     * The events as a stream.
     * @return the stream
     */
    public Stream<E> stream() {
        return this.events.stream();
    }

    @Override
    public Iterator<E> iterator() {
        return this.events.iterator();
    }

    @Override
    public String toString() {
        return this.description + ": " + this.events;
    }

}
