package io.zmqtap.feed;

import io.zmqtap.event.Direction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The metadata frame of zmqtap's {@link CaptureFormat#ENVELOPE ENVELOPE} capture format, written and
 * read here, side by side:
 *
 * <pre>
 * {"ts_ns":1764151502481234000,"direction":"in","seq":17,"dropped":0}
 *   ts_ns      when the proxy forwarded the message, nanoseconds since 1970 (UTC)
 *   direction  in (client to server), out (server to client) or ?
 *   seq        the proxied message's number, from 1, both directions together
 *   dropped    capture messages the proxy lost so far (subscribers that could not keep up)
 * </pre>
 *
 * Reading is strict about the shape (one flat JSON object, {@code ts_ns} and {@code seq} present) so
 * that a payload frame is not taken for metadata, tolerant of field order and of fields a later
 * version may add, and cheap: a frame that does not start with {@code {"} is refused at once.
 *
 * <p>Usage: {@code EnvelopeMetadata m = EnvelopeMetadata.parse(frame); if (m != null) m.time();}
 *
 * @param tsNanos when it was captured, nanoseconds since the epoch
 * @param direction which way the message went
 * @param seq the proxied message's number
 * @param dropped capture messages lost so far
 */
public record EnvelopeMetadata(long tsNanos, Direction direction, long seq, long dropped) {
    /** Longer frames are not metadata: zmqtap's is under 100 bytes. */
    static final int MAX_BYTES = 512;

    /** Metadata for a message captured at {@code time}. */
    public static EnvelopeMetadata of(Instant time, Direction direction, long seq, long dropped) {
        return new EnvelopeMetadata(time.getEpochSecond() * 1_000_000_000L + time.getNano(), direction, seq, dropped);
    }

    /** When the message was captured. */
    public Instant time() {
        return Instant.ofEpochSecond(0, tsNanos);
    }

    /** The frame: {@code {"ts_ns":…,"direction":"in","seq":17,"dropped":0}} in ASCII. */
    public byte[] encode() {
        String json = "{\"ts_ns\":" + tsNanos + ",\"direction\":\"" + direction.label() + "\",\"seq\":" + seq
                + ",\"dropped\":" + dropped + "}";
        return json.getBytes(StandardCharsets.US_ASCII);
    }

    /** The metadata in {@code frame}, or null when it is not zmqtap's envelope metadata. */
    public static EnvelopeMetadata parse(byte[] frame) {
        if (frame.length < 2 || frame.length > MAX_BYTES || frame[0] != '{' || frame[1] != '"') {
            return null;
        }
        return new Reader(frame).read();
    }

    /**
     * A reader for one flat JSON object of numbers and plain strings, all the metadata ever holds.
     * Anything else (nesting, escapes, fractions) means the frame is not metadata.
     */
    private static final class Reader {
        private final byte[] b;
        private int at;
        private Long ts;
        private Long seq;
        private long dropped;
        private Direction direction = Direction.UNKNOWN;

        Reader(byte[] b) {
            this.b = b;
        }

        EnvelopeMetadata read() {
            at = 1; // after '{'
            while (true) {
                String name = string();
                if (name == null || !skip(':')) {
                    return null;
                }
                space();
                if (at < b.length && b[at] == '"') {
                    String value = string();
                    if (value == null || name.equals("direction") && (direction = direction(value)) == null) {
                        return null;
                    }
                } else {
                    Long value = number();
                    if (value == null || !assign(name, value)) {
                        return null;
                    }
                }
                if (skip(',')) {
                    space();
                    continue;
                }
                if (skip('}')) {
                    space();
                    break;
                }
                return null;
            }
            return at == b.length && ts != null && seq != null ? new EnvelopeMetadata(ts, direction, seq, dropped) : null;
        }

        private boolean assign(String name, long value) {
            switch (name) {
                case "ts_ns" -> ts = value;
                case "seq" -> seq = value;
                case "dropped" -> dropped = value;
                case "direction" -> {
                    return false; // a number where a word belongs
                }
                default -> {
                    // a field a later version added
                }
            }
            return true;
        }

        private static Direction direction(String label) {
            for (Direction d : Direction.values()) {
                if (d.label().equals(label)) {
                    return d;
                }
            }
            return null;
        }

        /** A string without escapes, or null. */
        private String string() {
            if (at >= b.length || b[at] != '"') {
                return null;
            }
            int start = ++at;
            while (at < b.length && b[at] != '"') {
                if (b[at] == '\\' || b[at] < 0x20) {
                    return null;
                }
                at++;
            }
            if (at >= b.length) {
                return null;
            }
            return new String(b, start, at++ - start, StandardCharsets.UTF_8);
        }

        /** A whole number, or null. */
        private Long number() {
            int start = at;
            if (at < b.length && b[at] == '-') {
                at++;
            }
            long value = 0;
            int digits = 0;
            try {
                while (at < b.length && b[at] >= '0' && b[at] <= '9') {
                    value = Math.addExact(Math.multiplyExact(value, 10), b[at++] - '0');
                    digits++;
                }
            } catch (ArithmeticException e) {
                return null; // beyond a long: never written by zmqtap
            }
            if (digits == 0) {
                return null;
            }
            return b[start] == '-' ? -value : value;
        }

        private boolean skip(char c) {
            space();
            if (at < b.length && b[at] == c) {
                at++;
                return true;
            }
            return false;
        }

        private void space() {
            while (at < b.length && (b[at] == ' ' || b[at] == '\t' || b[at] == '\n' || b[at] == '\r')) {
                at++;
            }
        }
    }
}
