package dev.eventbus.consumer;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;

import dev.eventbus.transport.InboundMessage;
import dev.eventbus.wire.CloudEventAttributes;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decodes received messages holding CloudEvents 1.0, in binary content mode (attributes in the
 * binding's headers) or structured mode (a {@code application/cloudevents+json} envelope), from
 * any transport. Never looks at class names: the event type is only a name to look up among
 * registered handlers.
 */
public class CloudEventDecoder {

    private final JsonMapper jsonMapper;

    /**
     * Creates a decoder.
     * @param jsonMapper reads event data, usually the application's
     */
    public CloudEventDecoder(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    /**
     * Decodes a message's metadata and data.
     * @param message the message
     * @return the event, never {@code null}
     * @throws MalformedEventException if the message is not a valid CloudEvent
     */
    public ReceivedEvent decode(InboundMessage message) {
        String contentType = message.attribute(CloudEventAttributes.DATA_CONTENT_TYPE);
        if (contentType != null && contentType.startsWith(CloudEventAttributes.STRUCTURED_CONTENT_TYPE)) {
            return decodeStructured(message);
        }
        return decodeBinary(message);
    }

    /**
     * Reads the event data as an instance of the handler's event class.
     * @param <T> the event class
     * @param event the received event
     * @param type the event class
     * @return the event, never {@code null}
     * @throws MalformedEventException if the data is not JSON of that class
     */
    public <T> T read(ReceivedEvent event, Class<T> type) {
        try {
            T value = this.jsonMapper.readValue(event.data(), type);
            if (value == null) {
                throw new MalformedEventException("Event " + event.metadata().id() + " has null data");
            }
            return value;
        }
        catch (JacksonException ex) {
            throw new MalformedEventException("Data of event " + event.metadata().id() + " (" + event.metadata().type()
                    + ") is not valid JSON for " + type.getSimpleName() + ": " + ex.getOriginalMessage(), ex);
        }
    }

    private ReceivedEvent decodeBinary(InboundMessage message) {
        String specVersion = required(message, CloudEventAttributes.SPEC_VERSION);
        if (!CloudEventAttributes.SPEC_VERSION_1_0.equals(specVersion)) {
            throw new MalformedEventException("Unsupported CloudEvents version '" + specVersion + "'");
        }
        byte[] body = message.body();
        if (body == null) {
            throw new MalformedEventException("Message has no body");
        }
        ReceivedEventMetadata metadata = metadata(message, message.key(), required(message, CloudEventAttributes.ID),
                required(message, CloudEventAttributes.SOURCE), required(message, CloudEventAttributes.TYPE),
                message.attribute(CloudEventAttributes.TIME), message.attribute(CloudEventAttributes.EVENT_VERSION));
        return new ReceivedEvent(metadata, body);
    }

    private ReceivedEvent decodeStructured(InboundMessage message) {
        JsonNode envelope;
        byte[] body = message.body();
        try {
            envelope = (body != null) ? this.jsonMapper.readTree(body) : null;
        }
        catch (JacksonException ex) {
            throw new MalformedEventException("Structured CloudEvent is not valid JSON: " + ex.getOriginalMessage(), ex);
        }
        if (envelope == null || !envelope.isObject()) {
            throw new MalformedEventException("Structured CloudEvent is not a JSON object");
        }
        String specVersion = requiredText(envelope, CloudEventAttributes.SPEC_VERSION);
        if (!CloudEventAttributes.SPEC_VERSION_1_0.equals(specVersion)) {
            throw new MalformedEventException("Unsupported CloudEvents version '" + specVersion + "'");
        }
        String key = (message.key() != null) ? message.key()
                : integerOrText(envelope, CloudEventAttributes.PARTITION_KEY);
        ReceivedEventMetadata metadata = metadata(message, key, requiredText(envelope, CloudEventAttributes.ID),
                requiredText(envelope, CloudEventAttributes.SOURCE), requiredText(envelope, CloudEventAttributes.TYPE),
                text(envelope, CloudEventAttributes.TIME), integerOrText(envelope, CloudEventAttributes.EVENT_VERSION));
        byte[] data;
        if (envelope.hasNonNull("data_base64")) {
            try {
                data = Base64.getDecoder().decode(envelope.get("data_base64").asString());
            }
            catch (IllegalArgumentException ex) {
                throw new MalformedEventException("Structured CloudEvent has invalid data_base64", ex);
            }
        }
        else if (envelope.has("data")) {
            data = this.jsonMapper.writeValueAsBytes(envelope.get("data"));
        }
        else {
            throw new MalformedEventException("Structured CloudEvent has no data");
        }
        return new ReceivedEvent(metadata, data);
    }

    private static ReceivedEventMetadata metadata(InboundMessage message, @Nullable String key, String id,
            String source, String type, @Nullable String time, @Nullable String version) {
        return new ReceivedEventMetadata(eventId(id, source), type, version(version), key, source,
                time(time, message), message.topic(), message.partition(), message.offset(), 1, message.headers());
    }

    /**
     * The event id as a UUID: the CloudEvents id itself when it is one, else a name-based UUID of
     * source and id, which CloudEvents defines as unique together.
     * @param id the CloudEvents id
     * @param source the CloudEvents source
     * @return the UUID, never {@code null}
     */
    public static UUID eventId(String id, String source) {
        if (id.length() == 36) {
            try {
                return UUID.fromString(id);
            }
            catch (IllegalArgumentException ex) {
                // not a UUID: derive one below
            }
        }
        return UUID.nameUUIDFromBytes((source + "\n" + id).getBytes(StandardCharsets.UTF_8));
    }

    private static int version(@Nullable String version) {
        if (version == null) {
            return 1;
        }
        try {
            int parsed = Integer.parseInt(version.trim());
            if (parsed < 1) {
                throw new MalformedEventException("Event version " + parsed + " is below 1");
            }
            return parsed;
        }
        catch (NumberFormatException ex) {
            throw new MalformedEventException("Event version '" + version + "' is not a whole number", ex);
        }
    }

    private static Instant time(@Nullable String time, InboundMessage message) {
        if (time == null) {
            return message.timestamp();
        }
        try {
            Instant utc = parseUtc(time);
            return (utc != null) ? utc : OffsetDateTime.parse(time).toInstant();
        }
        catch (DateTimeException ex) {
            throw new MalformedEventException("Event time '" + time + "' is not an RFC 3339 timestamp", ex);
        }
    }

    /**
     * Reads the UTC form of an RFC 3339 time, {@code 2026-11-22T10:00:00.123456Z}, which
     * eventbus writes, without a formatter.
     * @return the instant, or {@code null} if the time has another form
     */
    static @Nullable Instant parseUtc(String time) {
        int length = time.length();
        if (length < 20 || length > 30 || time.charAt(4) != '-' || time.charAt(7) != '-'
                || Character.toUpperCase(time.charAt(10)) != 'T' || time.charAt(13) != ':' || time.charAt(16) != ':'
                || Character.toUpperCase(time.charAt(length - 1)) != 'Z' || (length > 20 && time.charAt(19) != '.')) {
            return null;
        }
        int year = digits(time, 0, 4);
        int month = digits(time, 5, 7);
        int day = digits(time, 8, 10);
        int hour = digits(time, 11, 13);
        int minute = digits(time, 14, 16);
        int second = digits(time, 17, 19);
        int fraction = (length > 21) ? digits(time, 20, length - 1) : 0;
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || fraction < 0
                || length == 21) {
            return null;
        }
        int nanos = fraction;
        for (int scale = Math.max(0, length - 21); scale < 9; scale++) {
            nanos *= 10;
        }
        return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(ZoneOffset.UTC);
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static String required(InboundMessage message, String attribute) {
        String value = message.attribute(attribute);
        if (value == null || value.isBlank()) {
            throw new MalformedEventException("Message lacks the CloudEvents attribute " + attribute);
        }
        return value;
    }

    /**
     * A string attribute of a structured event.
     * @return its value, or {@code null} if it is absent or JSON {@code null}
     * @throws MalformedEventException if it has another JSON type
     */
    private static @Nullable String text(JsonNode envelope, String name) {
        JsonNode node = envelope.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw new MalformedEventException("Structured CloudEvent attribute " + name + " must be a JSON string, not "
                    + node);
        }
        return node.asString();
    }

    /**
     * An integer attribute of a structured event, which the CloudEvents JSON format writes as a
     * JSON number, or a string attribute sent as one.
     * @return the integer's decimal form or the string, or {@code null} if it is absent or JSON
     * {@code null}
     * @throws MalformedEventException if it is neither an integer nor a string
     */
    private static @Nullable String integerOrText(JsonNode envelope, String name) {
        JsonNode node = envelope.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue().toString();
        }
        if (node.isString()) {
            return node.asString();
        }
        throw new MalformedEventException("Structured CloudEvent attribute " + name
                + " must be an integer or a string, not " + node);
    }

    private static String requiredText(JsonNode envelope, String name) {
        String value = text(envelope, name);
        if (value == null || value.isBlank()) {
            throw new MalformedEventException("Structured CloudEvent lacks the attribute " + name);
        }
        return value;
    }

}
