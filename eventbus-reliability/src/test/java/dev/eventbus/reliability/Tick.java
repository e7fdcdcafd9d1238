package dev.eventbus.reliability;

import dev.eventbus.EventKey;
import dev.eventbus.EventType;

/**
 * The event of the reliability suite.
 *
 * @param key the key; the sequence grows per key
 * @param sequence the position of the event among its key's events
 */
@EventType("reliability.tick")
public record Tick(@EventKey String key, long sequence) {

}
