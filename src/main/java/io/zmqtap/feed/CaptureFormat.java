package io.zmqtap.feed;

import io.zmqtap.BadValueException;
import java.util.Locale;

/**
 * How a proxied message is written to the capture socket.
 *
 * <pre>
 * PREFIXED (default; pyzmq MonitoredQueue):  [prefix, frame1, frame2, ...]
 *            e.g. a request "3" from client 0x006b8b4567:  ["in", 0x006b8b4567, "", "3"]
 * RAW      (libzmq zmq_proxy):               [frame1, frame2, ...]          no direction
 * ENVELOPE (zmqtap):                         [prefix, metadata, frame1, frame2, ...]
 *            metadata = {"ts_ns":1764151502481234000,"direction":"in","seq":17,"dropped":0}
 * </pre>
 *
 * In every format the frames are those forwarded, in the order forwarded (a ROUTER/ROUTER proxy
 * shows its swapped routing ids). {@code seq} counts proxied messages from 1 in both directions
 * together; {@code dropped} is the capture messages lost so far ({@link EnvelopeMetadata}).
 *
 * <p>{@link CaptureFrames} writes each format and {@link FeedDecoder} reads it back (or detects it per
 * message); a round trip of every format is tested. Usage: {@code CaptureFormat.parse("envelope")}
 */
public enum CaptureFormat {
    PREFIXED,
    RAW,
    ENVELOPE;

    /** Parses {@code prefixed}, {@code raw} or {@code envelope} (any case). */
    public static CaptureFormat parse(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadValueException("unknown capture format '" + name + "': expected prefixed, raw or envelope");
        }
    }
}
