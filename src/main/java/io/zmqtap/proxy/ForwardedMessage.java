package io.zmqtap.proxy;

import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.event.MessageEvent;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One message a proxy forwarded, as a {@link ForwardListener} sees it: a view of the proxy's own
 * buffers, valid only during {@link ForwardListener#forwarded}. Reading it copies nothing;
 * {@link #toEvent()} copies it into an immutable event.
 *
 * <p>Frames are all of the message's frames as the proxy forwarded them between its sockets. Through
 * a ROUTER frontend (a queue) the first frame is the client's routing id, which the ROUTER put in
 * front ({@link #routed()}): a request {@code "3"} from a REQ client is
 * {@code [0x006b8b4567, "", "3"]} and its reply {@code [0x006b8b4567, "", "6"]}, as pyzmq's
 * MonitoredQueue publishes them.
 *
 * <p>Usage: {@code if (m.routed()) perClient.merge(ByteBuffer.wrap(m.copyFrame(0)), 1L, Long::sum);}
 * (keyed by a copy: the view's bytes are the proxy's, reused after the call).
 */
public abstract class ForwardedMessage {
    Direction direction;
    long seq;
    boolean routed;
    private final String source;

    ForwardedMessage(String source) {
        this.source = source;
    }

    /** {@code IN} client to server (frontend to backend), {@code OUT} back. */
    public final Direction direction() {
        return direction;
    }

    /** The proxy's number for this message, from 1, both directions counted together. */
    public final long seq() {
        return seq;
    }

    /** True when {@link #frame(int) frame(0)} is the client's routing id, put in front by a ROUTER frontend. */
    public final boolean routed() {
        return routed;
    }

    /** The client's routing id (a read-only view), or {@code null} when the message is not {@link #routed()}. */
    public final ByteBuffer routingId() {
        return routed && frameCount() > 0 ? frame(0) : null;
    }

    /** Where the proxy saw it: its frontend endpoint as bound, e.g. {@code tcp://127.0.0.1:4444}. */
    public final String source() {
        return source;
    }

    /** How many frames it has, the routing id included. */
    public abstract int frameCount();

    /** Frame {@code index}'s bytes, from position 0 to its size: a read-only view, valid during the call. */
    public abstract ByteBuffer frame(int index);

    /** Frame {@code index}'s size in bytes. */
    public abstract int frameSize(int index);

    /** The sum of its frames' sizes (as the proxy's byte counters count them). */
    public long size() {
        long n = 0;
        for (int i = 0; i < frameCount(); i++) {
            n += frameSize(i);
        }
        return n;
    }

    /** A copy of frame {@code index}'s bytes. */
    public abstract byte[] copyFrame(int index);

    /**
     * An immutable copy of this message, stamped now: every frame, {@code seq}, direction, and the
     * routing id as {@code identity} when {@link #routed()}; {@code conn} is null.
     */
    public MessageEvent toEvent() {
        int n = frameCount();
        List<Frame> frames = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            frames.add(Frame.of(copyFrame(i)));
        }
        boolean withId = routed && n > 0;
        return new MessageEvent(Instant.now(), source, null, seq, direction, withId ? frames.get(0) : null, frames,
                withId);
    }

    /** Hands the message to a capture feed in the cheapest form the engine has. */
    abstract void writeTo(Capture capture);

    @Override
    public String toString() {
        return direction.label() + " #" + seq + " " + frameCount() + " frames, " + size() + " B";
    }
}
