package io.zmqtap.event;

import java.time.Instant;
import java.util.List;

/**
 * One multipart message that travelled between a client and a server, with every frame it had.
 *
 * <p>From a monitor feed {@code [in, 0x006b8b4567, "", "3"]}: direction {@code IN}, identity
 * {@code 0x006b8b4567}, frames {@code [0x006b8b4567, "", "3"]} with {@code routed} set (the first
 * frame is the routing id the queue's ROUTER put in front). Through a tap, a DEALER's
 * {@code ["hop1", "", "x"]} keeps all three frames; its identity comes from its handshake.
 *
 * <p>{@link #envelope()} and {@link #body()} split the frames at the first empty delimiter, as a
 * REQ or ROUTER does; a message without one is all body.
 *
 * <p>A reply that correlation paired with its request carries the request's {@code seq} in
 * {@code replyTo} and the time between them in {@code latencyNanos}:
 * <pre>{@code
 * MessageEvent reply = event.withReply(request.seq(), Duration.between(request.time(), event.time()).toNanos());
 * }</pre>
 *
 * @param time when it was captured
 * @param source where it was captured: a feed endpoint, a tap's or proxy's name
 * @param conn the connection (tap: {@code c1}) or flow within the source, or null when the source has none
 * @param seq this message's number within its source, from 1 (both directions together); 0 when not numbered
 * @param direction client to server ({@code IN}) or back ({@code OUT})
 * @param identity the client's routing id or identity, or {@code null} when not known
 * @param frames every frame, envelope and delimiter included
 * @param routed true when {@code frames[0]} is the routing id a ROUTER put in front (it is {@code identity})
 * @param replyTo the {@code seq} of the request this replies to, or 0
 * @param latencyNanos nanoseconds since that request, or -1 when {@code replyTo} is 0
 */
public record MessageEvent(
        Instant time,
        String source,
        String conn,
        long seq,
        Direction direction,
        Frame identity,
        List<Frame> frames,
        boolean routed,
        long replyTo,
        long latencyNanos)
        implements CaptureEvent {
    public MessageEvent {
        frames = List.copyOf(frames);
    }

    /** A message not (yet) paired with a request. */
    public MessageEvent(Instant time, String source, String conn, long seq, Direction direction, Frame identity,
            List<Frame> frames, boolean routed) {
        this(time, source, conn, seq, direction, identity, frames, routed, 0, -1);
    }

    /** This message as the reply to request {@code requestSeq}, {@code latencyNanos} after it. */
    public MessageEvent withReply(long requestSeq, long latencyNanos) {
        return new MessageEvent(time, source, conn, seq, direction, identity, frames, routed, requestSeq, latencyNanos);
    }

    /** Index of the first empty frame, or -1. */
    public int delimiter() {
        for (int i = 0; i < frames.size(); i++) {
            if (frames.get(i).isEmpty()) {
                return i;
            }
        }
        return -1;
    }

    /** The routing frames before the first empty delimiter (not including it); empty when there is none. */
    public List<Frame> envelope() {
        int d = delimiter();
        return d < 0 ? List.of() : frames.subList(0, d);
    }

    /** The frames after the first empty delimiter; every frame when there is none. */
    public List<Frame> body() {
        int d = delimiter();
        return d < 0 ? frames : frames.subList(d + 1, frames.size());
    }

    /** Sum of the wire sizes of every frame. */
    public long size() {
        // by index: the statistics ask every message, and C2 kept the for-each's iterator (an
        // allocation per message, a ninth of read's garbage; docs/benchmarks.md, twelfth session)
        long n = 0;
        for (int i = 0; i < frames.size(); i++) {
            n += frames.get(i).size();
        }
        return n;
    }

    /** Bytes of frame data held (less than {@link #size()} when frames were truncated). */
    public long capturedBytes() {
        long n = 0;
        for (int i = 0; i < frames.size(); i++) {
            n += frames.get(i).data().length;
        }
        return n;
    }
}
