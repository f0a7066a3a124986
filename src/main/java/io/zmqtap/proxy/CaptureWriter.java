package io.zmqtap.proxy;

import io.zmqtap.capture.Direction;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.time.Instant;
import zmq.Msg;
import zmq.SocketBase;
import zmq.ZMQ;

/**
 * Writes proxied messages to the capture socket without ever waiting.
 *
 * <p>Every send is non-blocking. A capture message the socket cannot take right now (a PUB whose
 * subscriber is behind: zmqtap sets {@code XPUB_NODROP} so PUB reports this instead of dropping
 * quietly; a PUSH with no peer) is counted in {@link #dropped()} and the proxy moves on.
 */
final class CaptureWriter {
    private final SocketBase socket;
    private final CaptureFormat format;
    private final byte[] inPrefix;
    private final byte[] outPrefix;
    private final boolean tracksSubscriptions;
    private final Set<ByteBuffer> topics = new HashSet<>();
    private volatile long captured;
    private volatile long dropped;
    private volatile int subscribedTopics;

    /** @param socket the capture socket, or {@code null} for no capture */
    CaptureWriter(SocketBase socket, CaptureFormat format, byte[] inPrefix, byte[] outPrefix) {
        this.socket = socket;
        this.format = format;
        this.inPrefix = inPrefix;
        this.outPrefix = outPrefix;
        this.tracksSubscriptions = socket != null && socket.getSocketOpt(ZMQ.ZMQ_TYPE) == ZMQ.ZMQ_XPUB;
    }

    /**
     * Reads the subscriptions an XPUB capture socket reports, so callers can wait for a sniffer
     * to be listening before traffic starts (ZeroMQ's slow-joiner problem).
     */
    boolean drainSubscriptions() {
        if (!tracksSubscriptions) {
            return false;
        }
        boolean any = false;
        Msg m;
        while ((m = socket.recv(ZMQ.ZMQ_DONTWAIT)) != null) {
            any = true;
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
        return any;
    }

    /** Distinct topics subscribed on an XPUB capture (PUB captures are XPUB inside); 0 otherwise. */
    int subscribedTopics() {
        return subscribedTopics;
    }

    boolean enabled() {
        return socket != null;
    }

    long captured() {
        return captured;
    }

    long dropped() {
        return dropped;
    }

    /** Captures a message forwarded in {@code direction}; {@code seq} numbers proxied messages from 1. */
    void write(Direction direction, ProxiedMessage message, long seq) {
        if (socket == null) {
            return;
        }
        Msg[] frames = message.captureFrames;
        if (format != CaptureFormat.RAW) {
            if (!send(new Msg(direction == Direction.IN ? inPrefix : outPrefix), true)) {
                return;
            }
            if (format == CaptureFormat.ENVELOPE) {
                if (!send(new Msg(metadata(direction, seq)), true)) {
                    return;
                }
            }
        }
        for (int i = 0; i < message.count; i++) {
            if (!send(frames[i], i < message.count - 1)) {
                return;
            }
        }
        captured = captured + 1;
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

    private byte[] metadata(Direction direction, long seq) {
        Instant now = Instant.now();
        long ns = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        String json = "{\"ts_ns\":" + ns + ",\"direction\":\"" + direction.label() + "\",\"seq\":" + seq
                + ",\"dropped\":" + dropped + "}";
        return json.getBytes(StandardCharsets.US_ASCII);
    }
}
