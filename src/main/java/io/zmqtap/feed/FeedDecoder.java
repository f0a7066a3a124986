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

/**
 * Reads monitor-feed messages in pyzmq MonitoredQueue's format into events.
 *
 * <pre>
 *   frame 0   prefix      "in" (client to server) or "out" (server to client), configurable
 *   frame 1.. envelope    routing id(s) the ROUTER gave the client
 *   frame k   delimiter   empty
 *   frame k+1.. body      payload frames
 * </pre>
 *
 * A message whose first frame is neither prefix is taken as a raw capture (libzmq {@code
 * zmq_proxy}): direction {@code UNKNOWN}, envelope split at the first empty frame if there is one.
 * A forwarder (XSUB/XPUB) sends subscriptions upstream: a one-frame {@code out} message starting
 * {@code 0x01} (subscribe) or {@code 0x00} (cancel), the way an XPUB hands them over. Such a
 * message becomes a {@link CommandEvent} named SUBSCRIBE or CANCEL with its topic. A ROUTER/DEALER
 * queue never produces one (its replies carry a routing envelope).
 * No I/O here: callers hand in the frames they received.
 *
 * <p>Usage: {@code new FeedDecoder("tcp://localhost:7777").decode(frames, Instant.now())}
 */
public final class FeedDecoder {
    private final String source;
    private final byte[] inPrefix;
    private final byte[] outPrefix;
    private long seq;

    public FeedDecoder(String source) {
        this(source, "in".getBytes(StandardCharsets.UTF_8), "out".getBytes(StandardCharsets.UTF_8));
    }

    public FeedDecoder(String source, byte[] inPrefix, byte[] outPrefix) {
        this.source = source;
        this.inPrefix = inPrefix.clone();
        this.outPrefix = outPrefix.clone();
    }

    /** Turns one received multipart feed message into an event. */
    public CaptureEvent decode(List<byte[]> message, Instant time) {
        if (message.isEmpty()) {
            return new NoticeEvent(time, source, NoticeEvent.Level.WARNING, "empty feed message");
        }
        Direction direction = directionOf(message.get(0));
        List<byte[]> rest = direction == Direction.UNKNOWN ? message : message.subList(1, message.size());
        if (direction == Direction.OUT && rest.size() == 1 && rest.get(0).length > 0
                && (rest.get(0)[0] == 1 || rest.get(0)[0] == 0)) {
            byte[] f = rest.get(0);
            return new CommandEvent(time, source, null, direction, f[0] == 1 ? "SUBSCRIBE" : "CANCEL",
                    Frame.of(Arrays.copyOfRange(f, 1, f.length)), "forwarded upstream");
        }
        List<Frame> parts = new ArrayList<>(rest.size());
        int delimiter = -1;
        for (int i = 0; i < rest.size(); i++) {
            parts.add(Frame.of(rest.get(i)));
            if (delimiter < 0 && rest.get(i).length == 0) {
                delimiter = i;
            }
        }
        // a ROUTER's routing id comes first, before the delimiter
        boolean routed = delimiter > 0;
        return new MessageEvent(time, source, null, ++seq, direction, routed ? parts.get(0) : null, parts, routed);
    }

    private Direction directionOf(byte[] first) {
        if (Arrays.equals(first, inPrefix)) {
            return Direction.IN;
        }
        if (Arrays.equals(first, outPrefix)) {
            return Direction.OUT;
        }
        return Direction.UNKNOWN;
    }
}
