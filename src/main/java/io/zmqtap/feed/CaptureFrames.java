package io.zmqtap.feed;

import io.zmqtap.zmtp.FrameScanner;
import io.zmqtap.event.Direction;
import io.zmqtap.zmtp.ZmtpEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import zmq.Msg;

/**
 * What a capture message is made of in each {@link CaptureFormat}: the direction's prefix frame,
 * the envelope's metadata frame, then the forwarded frames. Writes them as JeroMQ frames or as ZMTP
 * bytes; pure, no sockets.
 *
 * <p>Usage: {@code new CaptureFrames(CaptureFormat.PREFIXED, in, out).encode(buffer, Direction.IN, id, wire, start, end, seq, 0)}
 */
public final class CaptureFrames {
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

    /** The envelope's metadata: {@code {"ts_ns":…,"direction":"in","seq":17,"dropped":0}}. */
    public byte[] metadata(Direction direction, long seq, long dropped) {
        Instant now = Instant.now();
        long ns = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        String json = "{\"ts_ns\":" + ns + ",\"direction\":\"" + direction.label() + "\",\"seq\":" + seq
                + ",\"dropped\":" + dropped + "}";
        return json.getBytes(StandardCharsets.US_ASCII);
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
