package dev.eventbus.consumer;

/**
 * A decoded record: its metadata and the event data still as JSON.
 *
 * @param metadata the metadata, for the first attempt
 * @param data the event as JSON bytes
 */
public record ReceivedEvent(ReceivedEventMetadata metadata, byte[] data) {

}
