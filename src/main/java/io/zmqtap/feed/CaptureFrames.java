package io.zmqtap.feed;

import io.zmqtap.zmtp.FrameScanner;
import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.CommandEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.zmtp.ZmtpEncoder;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import zmq.Msg;

/**
 * What a capture message is made of in each {@link CaptureFormat}: the direction's prefix frame,
 * the envelope's metadata frame ({@link EnvelopeMetadata}), then the forwarded frames. Writes them
 * as JeroMQ frames, as ZMTP bytes (the proxy's two ways) or, for an event, as a list of frames; pure,
 * no sockets. {@link FeedDecoder} reads them back: {@code decoder.decode(frames.encode(event, 0), t)}
 * gives the event again (a round trip every format is tested for).
 *
 * <p>Usage: {@code new CaptureFrames(CaptureFormat.PREFIXED, in, out).encodeHead(buffer, Direction.IN, null, id)}
 */
public final class CaptureFrames {
    /** The command a forwarded subscription becomes, and its cancellation. */
    static final String SUBSCRIBE = "SUBSCRIBE";
    static final String CANCEL = "CANCEL";

    private final CaptureFormat format;
    private final byte[] inPrefix;
    private final byte[] outPrefix;
    private final ByteBuffer inTopic;
    private final ByteBuffer outTopic;

    public CaptureFrames(CaptureFormat format, byte[] inPrefix, byte[] outPrefix) {
        this.format = format;
        this.inPrefix = inPrefix.clone();
        this.outPrefix = outPrefix.clone();
        this.inTopic = ByteBuffer.wrap(this.inPrefix).asReadOnlyBuffer();
        this.outTopic = ByteBuffer.wrap(this.outPrefix).asReadOnlyBuffer();
    }

    /** True when a prefix frame comes first (every format but RAW). */
    public boolean prefixed() {
        return format != CaptureFormat.RAW;
    }

    /** True when a metadata frame follows the prefix (ENVELOPE). */
    public boolean enveloped() {
        return format == CaptureFormat.ENVELOPE;
    }

    public byte[] prefix(Direction direction) {
        return direction == Direction.IN ? inPrefix : outPrefix;
    }

    /**
     * The prefix as a buffer to match subscriptions against, made once: matching reads it without
     * moving its position, so one buffer serves every capture message.
     */
    public ByteBuffer prefixTopic(Direction direction) {
        return direction == Direction.IN ? inTopic : outTopic;
    }

    /** The envelope's metadata, stamped now: {@code {"ts_ns":…,"direction":"in","seq":17,"dropped":0}}. */
    public byte[] metadata(Direction direction, long seq, long dropped) {
        return metadata(direction, seq, dropped, Instant.now());
    }

    /** The envelope's metadata for a message captured at {@code time} ({@link EnvelopeMetadata}). */
    public byte[] metadata(Direction direction, long seq, long dropped, Instant time) {
        return EnvelopeMetadata.of(time, direction, seq, dropped).encode();
    }

    /**
     * The whole capture message for {@code event}, as frames: what a capture socket sends for it and
     * what {@link FeedDecoder} reads back into the same event. A {@link MessageEvent} gives its
     * frames (its {@code seq} and {@code time} go into the envelope's metadata); a {@link CommandEvent}
     * SUBSCRIBE or CANCEL gives the one frame a forwarder passes upstream, {@code 0x01} or {@code 0x00}
     * and the topic.
     *
     * <pre>{@code
     * List<byte[]> frames = new CaptureFrames(CaptureFormat.ENVELOPE, in, out).encode(event, 0);
     * }</pre>
     *
     * @param dropped the capture messages lost so far, for the envelope's metadata
     * @throws IllegalArgumentException for another kind of event, which no capture feed carries
     */
    public List<byte[]> encode(CaptureEvent event, long dropped) {
        Direction direction;
        long seq;
        List<byte[]> body = new ArrayList<>();
        if (event instanceof MessageEvent m) {
            direction = m.direction();
            seq = m.seq();
            for (Frame f : m.frames()) {
                body.add(f.data());
            }
        } else if (event instanceof CommandEvent c && c.topic() != null
                && (c.name().equals(SUBSCRIBE) || c.name().equals(CANCEL))) {
            direction = c.direction();
            seq = 0;
            byte[] topic = c.topic().data();
            byte[] frame = new byte[topic.length + 1];
            frame[0] = (byte) (c.name().equals(SUBSCRIBE) ? 1 : 0);
            System.arraycopy(topic, 0, frame, 1, topic.length);
            body.add(frame);
        } else {
            throw new IllegalArgumentException("a capture feed carries messages and forwarded subscriptions, not " + event);
        }
        List<byte[]> frames = new ArrayList<>(body.size() + 2);
        if (prefixed()) {
            frames.add(prefix(direction).clone());
        }
        if (enveloped()) {
            frames.add(metadata(direction, seq, dropped, event.time()));
        }
        frames.addAll(body);
        return frames;
    }

    /** The format these frames are written in. */
    public CaptureFormat format() {
        return format;
    }

    /** The frames of a wire-engine message (its ZMTP bytes from {@code start} to {@code end}), copied, after {@code routingId}. */
    public static Msg[] split(byte[] routingId, ByteBuffer in, int start, int end) {
        int count = routingId == null ? 0 : 1;
        for (int at = start; at < end; at = FrameScanner.bodyAt(in, at) + FrameScanner.sizeAt(in, at)) {
            count++;
        }
        Msg[] frames = new Msg[count];
        int i = 0;
        if (routingId != null) {
            frames[i++] = new Msg(routingId);
        }
        for (int at = start; i < count; i++) {
            int body = FrameScanner.bodyAt(in, at);
            byte[] copy = new byte[FrameScanner.sizeAt(in, at)];
            in.get(body, copy);
            frames[i] = new Msg(copy);
            at = body + copy.length;
        }
        return frames;
    }

    /** The capture message's first frame, which subscriptions are matched against. */
    public static ByteBuffer firstFrame(ByteBuffer in, int start) {
        int body = FrameScanner.bodyAt(in, start);
        return in.duplicate().limit(body + FrameScanner.sizeAt(in, start)).position(body);
    }

    /** Bytes {@link #encodeHead} writes before the forwarded frames. */
    public int headSize(Direction direction, byte[] metadata, byte[] routingId) {
        int n = 0;
        if (prefixed()) {
            n += frameSize(prefix(direction).length);
        }
        if (metadata != null) {
            n += frameSize(metadata.length);
        }
        if (routingId != null) {
            n += frameSize(routingId.length);
        }
        return n;
    }

    /** Writes the prefix, the metadata (or null) and the routing id (or null) frames, all with MORE set. */
    public void encodeHead(ByteBuffer out, Direction direction, byte[] metadata, byte[] routingId) {
        if (prefixed()) {
            frame(out, prefix(direction), true);
        }
        if (metadata != null) {
            frame(out, metadata, true);
        }
        if (routingId != null) {
            frame(out, routingId, true);
        }
    }

    public static int frameSize(long body) {
        return ZmtpEncoder.headerSize(body) + (int) body;
    }

    public static void frame(ByteBuffer out, byte[] body, boolean more) {
        ZmtpEncoder.frameHeader(out, body.length, more);
        out.put(body);
    }
}
