package dev.eventbus.benchmarks;

import dev.eventbus.EventKey;
import dev.eventbus.EventType;

import org.springframework.modulith.events.Externalized;

/**
 * The benchmark event: about 300 bytes of JSON. Spring Modulith externalizes it to the topic in
 * {@code benchmark.topic}, keyed like eventbus does.
 *
 * @param key the key, one of 1,000
 * @param sequence the position in the run
 * @param committedNanos {@link System#nanoTime()} just before the publishing transaction commits
 * @param padding filler up to the event size
 */
@EventType("benchmark.measured")
@Externalized("#{@environment.getProperty('benchmark.topic')}::#{key()}")
public record Measured(@EventKey String key, long sequence, long committedNanos, String padding) {

    static final String PADDING = "x".repeat(220);

    static Measured of(long sequence) {
        return new Measured("key-" + (sequence % 1000), sequence, System.nanoTime(), PADDING);
    }

}
