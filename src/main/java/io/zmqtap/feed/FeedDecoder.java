package io.zmqtap.feed;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.CommandEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.NoticeEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads monitor-feed messages, in every {@link CaptureFormat} zmqtap writes ({@link CaptureFrames}
 * is the writer), into events:
 *
 * <pre>
 * PREFIXED  [prefix, frames…]             pyzmq MonitoredQueue, zmqtap's default
 * RAW       [frames…]                     libzmq zmq_proxy: no direction
 * ENVELOPE  [prefix, metadata, frames…]   zmqtap: metadata {"ts_ns":…,"direction":"in","seq":17,"dropped":0}
 *
 * ["in", 0x006b8b4567, "", "3"]  ->  MessageEvent dir in, identity 0x006b8b4567 (routed),
 *                                    frames [0x006b8b4567, "", "3"], seq numbered here from 1
 * ["out", 0x01 "weather"]        ->  CommandEvent SUBSCRIBE "weather" (a forwarder's upstream subscription)
 * </pre>
 *
 * Frames after the prefix (and the metadata) are all kept. When the first of them is followed,
 * later, by an empty delimiter it is the routing id a ROUTER put in front: the event is
 * {@code routed} with that frame as its identity. In ENVELOPE format the metadata gives the event
 * its time and {@code seq}, and a {@code dropped} count that grew becomes a {@link NoticeEvent}
 * before the message. A one-frame {@code out} message starting {@code 0x01} or {@code 0x00} is a
 * forwarder (XSUB/XPUB) passing a subscription or cancel upstream, the way an XPUB hands them over;
 * a ROUTER/DEALER queue never sends one (its replies carry a routing id).
 *
 * <p>The format is fixed, or detected per message when none is given (a feed may be restarted with
 * another format): a known prefix followed by a frame that parses as zmqtap's metadata is ENVELOPE
 * (metadata after a prefix that is not known is ENVELOPE too, with the metadata's direction), a
 * known prefix alone is PREFIXED, anything else RAW. Detection costs two array comparisons and a
 * look at the second frame's first bytes. A fixed format reads messages by position: with PREFIXED
 * the first frame is the prefix even when it is not a known one (direction {@code UNKNOWN}).
 *
 * <p>No I/O: callers hand in the frames they received. Not thread-safe (one feed, one thread),
 * but {@link #feedDropped()} may be read from any thread.
 *
 * <pre>{@code
 * FeedDecoder decoder = new FeedDecoder("tcp://localhost:7777", in, out, null); // detect the format
 * decoder.decode(frames, Instant.now(), sink::accept);
 * }</pre>
 */
public final class FeedDecoder {
    private final String source;
    private final byte[] inPrefix;
    private final byte[] outPrefix;
    private final CaptureFormat format;
    private long seq;
    private long lastDropped = -1;
    private volatile long feedDropped;

    /** A decoder of the default prefixes {@code in} and {@code out}, detecting the format. */
    public FeedDecoder(String source) {
        this(source, "in".getBytes(StandardCharsets.UTF_8), "out".getBytes(StandardCharsets.UTF_8), null);
    }

    /** A decoder detecting the format of each message. */
    public FeedDecoder(String source, byte[] inPrefix, byte[] outPrefix) {
        this(source, inPrefix, outPrefix, null);
    }

    /**
     * @param source the feed's name for the events, e.g. its endpoint {@code tcp://localhost:7777}
     * @param format the feed's format, or null to detect it per message
     */
    public FeedDecoder(String source, byte[] inPrefix, byte[] outPrefix, CaptureFormat format) {
        this.source = source;
        this.inPrefix = inPrefix.clone();
        this.outPrefix = outPrefix.clone();
        this.format = format;
    }

    /**
     * The event for one received multipart feed message: a {@link MessageEvent}, a
     * {@link CommandEvent} for a forwarded subscription, or a {@link NoticeEvent} for a message that
     * is not one. A notice about lost captures is given only by {@link #decode(List, Instant, Consumer)}.
     *
     * @param received when it was received: the event's time unless the metadata says when it was captured
     */
    public CaptureEvent decode(List<byte[]> message, Instant received) {
        CaptureEvent[] last = new CaptureEvent[1];
        decode(message, received, e -> last[0] = e);
        return last[0];
    }

    /**
     * Hands {@code out} the event for one received feed message, preceded by a {@link NoticeEvent}
     * when the envelope's {@code dropped} count grew since the previous message.
     */
    public void decode(List<byte[]> message, Instant received, Consumer<? super CaptureEvent> out) {
        if (message.isEmpty()) {
            out.accept(new NoticeEvent(received, source, NoticeEvent.Level.WARNING, "empty feed message"));
            return;
        }
        Direction prefix = format == CaptureFormat.RAW ? null : directionOf(message.get(0));
        EnvelopeMetadata metadata = null;
        int head; // frames before the forwarded ones
        Direction direction;
        if (format == null) {
            metadata = message.size() > 1 ? EnvelopeMetadata.parse(message.get(1)) : null;
            head = metadata != null ? 2 : prefix != null ? 1 : 0;
            direction = prefix != null ? prefix : metadata != null ? metadata.direction() : Direction.UNKNOWN;
        } else {
            head = format == CaptureFormat.ENVELOPE ? 2 : format == CaptureFormat.PREFIXED ? 1 : 0;
            if (message.size() < head) {
                out.accept(new NoticeEvent(received, source, NoticeEvent.Level.WARNING, "feed message with "
                        + message.size() + " frame: expected [prefix, metadata, frames…] (--format envelope)"));
                return;
            }
            metadata = head == 2 ? EnvelopeMetadata.parse(message.get(1)) : null;
            direction = prefix != null ? prefix : metadata != null ? metadata.direction() : Direction.UNKNOWN;
        }
        Instant time = received;
        if (metadata != null) {
            time = metadata.time();
            dropped(metadata, out);
        }
        List<byte[]> body = message.subList(head, message.size());
        CommandEvent command = subscription(direction, body, time);
        if (command != null) {
            out.accept(command);
            return;
        }
        out.accept(message(body, direction, metadata != null ? metadata.seq() : ++seq, time));
    }

    /**
     * The capture messages the queue reported lost so far, as the last envelope said ({@code
     * dropped}); 0 for feeds without metadata.
     */
    public long feedDropped() {
        return feedDropped;
    }

    private MessageEvent message(List<byte[]> body, Direction direction, long number, Instant time) {
        List<Frame> frames = new ArrayList<>(body.size());
        int delimiter = -1;
        for (int i = 0; i < body.size(); i++) {
            frames.add(Frame.of(body.get(i)));
            if (delimiter < 0 && body.get(i).length == 0) {
                delimiter = i;
            }
        }
        boolean routed = delimiter > 0; // a routing id first, the delimiter after it
        return new MessageEvent(time, source, null, number, direction, routed ? frames.get(0) : null, frames, routed);
    }

    /** A forwarder's subscription passed upstream: one {@code out} frame, {@code 0x01} or {@code 0x00} then the topic. */
    private CommandEvent subscription(Direction direction, List<byte[]> body, Instant time) {
        if (direction != Direction.OUT || body.size() != 1 || body.get(0).length == 0
                || body.get(0)[0] != 1 && body.get(0)[0] != 0) {
            return null;
        }
        byte[] f = body.get(0);
        return new CommandEvent(time, source, null, direction, f[0] == 1 ? CaptureFrames.SUBSCRIBE : CaptureFrames.CANCEL,
                Frame.of(Arrays.copyOfRange(f, 1, f.length)), "forwarded upstream");
    }

    /** Reports the captures lost since the previous envelope; a count that went down is a restarted queue. */
    private void dropped(EnvelopeMetadata metadata, Consumer<? super CaptureEvent> out) {
        long now = metadata.dropped();
        if (lastDropped >= 0 && now > lastDropped) {
            long lost = now - lastDropped;
            out.accept(new NoticeEvent(metadata.time(), source, NoticeEvent.Level.WARNING, "the queue dropped " + lost
                    + " capture message" + (lost == 1 ? "" : "s") + " before #" + metadata.seq() + " (" + now
                    + " in all): a capture subscriber could not keep up"));
        }
        lastDropped = now;
        feedDropped = now;
    }

    private Direction directionOf(byte[] first) {
        if (Arrays.equals(first, inPrefix)) {
            return Direction.IN;
        }
        if (Arrays.equals(first, outPrefix)) {
            return Direction.OUT;
        }
        return null;
    }
}
