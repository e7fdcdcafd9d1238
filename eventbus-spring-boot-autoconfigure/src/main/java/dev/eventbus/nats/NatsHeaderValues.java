package dev.eventbus.nats;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import io.nats.client.impl.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Header values on NATS, which carries only printable ASCII in headers (jnats refuses anything
 * else): a value is written with every other character, and {@code %}, percent-encoded as the
 * UTF-8 bytes it has, as the CloudEvents HTTP binding does, and read back decoded. A value of
 * printable ASCII without {@code %} is written as it is. A message with an encoded value carries
 * {@link NatsHeaders#ENCODING}, and only such a message is decoded, so that the values of older
 * versions and other producers, such as a {@code source} URI with {@code %2F}, read as written.
 */
final class NatsHeaderValues {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private NatsHeaderValues() {
    }

    /**
     * The form of a value that NATS takes.
     * @param value any text
     * @return the value with non-printable and non-ASCII characters and {@code %} percent-encoded
     */
    static String encode(String value) {
        if (isPlain(value)) {
            return value;
        }
        StringBuilder encoded = new StringBuilder(value.length() + 16);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '%') {
                encoded.append((char) c);
            }
            else {
                encoded.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return encoded.toString();
    }

    /**
     * The value a header was written from; a {@code %} not followed by two hex digits is kept.
     * @param value the header's value
     * @return the decoded text
     */
    static String decode(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            int high = (c == '%' && i + 2 < value.length()) ? Character.digit(value.charAt(i + 1), 16) : -1;
            int low = (high >= 0) ? Character.digit(value.charAt(i + 2), 16) : -1;
            if (low >= 0) {
                bytes.write((high << 4) | low);
                i += 2;
            }
            else {
                byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(raw, 0, raw.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * Puts a header with its value encoded, marking the message as encoded if the value had to be.
     * @param headers the message's headers
     * @param name the header name
     * @param value the value as text
     */
    static void put(Headers headers, String name, String value) {
        String encoded = encode(value);
        headers.put(name, encoded);
        if (!encoded.equals(value)) {
            headers.put(NatsHeaders.ENCODING, NatsHeaders.PERCENT_ENCODED);
        }
    }

    /**
     * Whether a message's header values are percent-encoded.
     * @param headers the message's headers, or {@code null}
     * @return whether it carries {@link NatsHeaders#ENCODING}
     */
    static boolean isEncoded(@Nullable Headers headers) {
        return headers != null && NatsHeaders.PERCENT_ENCODED.equals(headers.getFirst(NatsHeaders.ENCODING));
    }

    /**
     * A header value as it was written.
     * @param headers the message's headers
     * @param name the header name
     * @return the value, decoded if the message is encoded, or {@code null} if absent
     */
    static @Nullable String read(@Nullable Headers headers, String name) {
        String value = (headers != null) ? headers.getFirst(name) : null;
        return (value != null && isEncoded(headers)) ? decode(value) : value;
    }

    private static boolean isPlain(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '%') {
                return false;
            }
        }
        return true;
    }

}
