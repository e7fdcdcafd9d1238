package dev.eventbus.demo;

import dev.eventbus.EventKey;
import dev.eventbus.EventType;

/**
 * The event the demo publishes.
 *
 * @param name who is greeted; the key, so greetings to one name stay in order
 * @param text the greeting
 */
@EventType("demo.greeting")
public record Greeting(@EventKey String name, String text) {

}
