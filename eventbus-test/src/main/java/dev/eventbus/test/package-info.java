/**
 * Test support for applications that use eventbus: with {@code dev.eventbus:eventbus-test} on
 * the test class path, a {@code @SpringBootTest} records every event its application published
 * ({@link dev.eventbus.test.PublishedEvents}) and every message its handlers reached an outcome
 * for ({@link dev.eventbus.test.HandledEvents}); {@link dev.eventbus.test.EventScenario}
 * publishes or runs a stimulus and waits for what follows; {@link dev.eventbus.test.TestEventMetadata}
 * builds the metadata for a unit test of a handler method. The records are cleared before each
 * test method. It works on every transport, and without a broker with
 * {@code eventbus.transport=local}.
 */
@NullMarked
package dev.eventbus.test;

import org.jspecify.annotations.NullMarked;
