package io.zmqtap.proxy;

import io.zmqtap.feed.CaptureFrames;
import io.zmqtap.event.Direction;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import zmq.Msg;
import zmq.SocketBase;
import zmq.ZMQ;

/**
 * Writes captures to a JeroMQ socket without ever waiting: for capture feeds zmqtap's own publisher
 * cannot serve (inproc, or a PUSH, DEALER or PAIR capture socket).
 *
 * <p>Every send is non-blocking. A capture message the socket cannot take right now (a PUB whose
 * subscriber is behind: zmqtap sets {@code XPUB_NODROP} so PUB reports this instead of dropping
 * quietly; a PUSH with no peer) is counted in {@link #dropped()} and the proxy moves on.
 */
final class SocketCapture implements Capture {
    private final SocketBase socket;
    private final CaptureFrames frames;
    private final boolean tracksSubscriptions;
    private final Set<ByteBuffer> topics = new HashSet<>();
    private volatile long captured;
    private volatile long dropped;
    private volatile int subscribedTopics;

    SocketCapture(SocketBase socket, CaptureFrames frames) {
        this.socket = socket;
        this.frames = frames;
        this.tracksSubscriptions = socket.getSocketOpt(ZMQ.ZMQ_TYPE) == ZMQ.ZMQ_XPUB;
    }

    /**
     * Reads the subscriptions an XPUB capture socket reports, so callers can wait for a sniffer
     * to be listening before traffic starts (ZeroMQ's slow-joiner problem).
     */
    @Override
    public void drainSubscriptions() {
        if (!tracksSubscriptions) {
            return;
        }
        Msg m;
        while ((m = socket.recv(ZMQ.ZMQ_DONTWAIT)) != null) {
            byte[] d = m.data();
            if (d.length == 0) {
                continue;
            }
            ByteBuffer topic = ByteBuffer.wrap(Arrays.copyOfRange(d, 1, d.length));
            if (d[0] == 1) {
                topics.add(topic);
            } else if (d[0] == 0) {
                topics.remove(topic);
            }
        }
        subscribedTopics = topics.size();
    }

    @Override
    public int subscribedTopics() {
        return subscribedTopics;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public long captured() {
        return captured;
    }

    @Override
    public long dropped() {
        return dropped;
    }

    @Override
    public void frames(Direction direction, ProxiedMessage message, long seq) {
        send(direction, message.captureFrames, message.count, seq);
    }

    /** Copies the message out of the wire engine's buffer into frames (JeroMQ keeps them after we return). */
    @Override
    public void wire(Direction direction, byte[] routingId, ByteBuffer in, int start, int end, long seq) {
        Msg[] parts = CaptureFrames.split(routingId, in, start, end);
        send(direction, parts, parts.length, seq);
    }

    private void send(Direction direction, Msg[] parts, int count, long seq) {
        captured = captured + 1; // made, whether or not the socket takes it (then it is dropped, too)
        if (frames.prefixed()) {
            if (!send(new Msg(frames.prefix(direction)), true)) {
                return;
            }
            if (frames.enveloped() && !send(new Msg(frames.metadata(direction, seq, dropped)), true)) {
                return;
            }
        }
        for (int i = 0; i < count; i++) {
            if (!send(parts[i], i < count - 1)) {
                return;
            }
        }
    }

    private boolean send(Msg msg, boolean more) {
        if (socket.send(msg, more ? ZMQ.ZMQ_SNDMORE | ZMQ.ZMQ_DONTWAIT : ZMQ.ZMQ_DONTWAIT)) {
            return true;
        }
        // A refused first frame means the capture socket is full. ZeroMQ takes a multipart message
        // whole once its first frame is in, so a later refusal means the socket is closing. Either
        // way this capture message is lost: count it.
        dropped = dropped + 1;
        return false;
    }
}
