package io.zmqtap.event;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code --redact} leaves of an event: its sizes, its frame structure and who sent it, not
 * what it said. Pure: an event in, its redacted copy out.
 *
 * <ul>
 * <li>a message keeps its identity, the routing id a ROUTER put in front and, in such a routed
 *     message, the envelope of routing ids before the empty delimiter; every other frame keeps only
 *     its size ({@link Frame#redacted}); empty frames (delimiters) stay as they are;</li>
 * <li>a SUBSCRIBE or CANCEL keeps only its topic's size: a topic is the first bytes of the messages
 *     it selects, so showing it would show theirs;</li>
 * <li>handshakes (socket type, identity, metadata), connections, notices, protocol errors and
 *     statistics carry no payload and pass unchanged. PLAIN passwords never get this far: the
 *     decoder drops them whether or not {@code --redact} is given.</li>
 * </ul>
 *
 * <p>A message from a tap has no routed frame: everything but its empty frames is masked, as its
 * first frames may be payload (a PUB topic) rather than a routing envelope.
 *
 * <p>Usage: {@code sink.accept(Redaction.redact(event));}
 */
public final class Redaction {
    private Redaction() {}

    /** {@code event} with its payloads masked; the same object when it carries none. */
    public static CaptureEvent redact(CaptureEvent event) {
        if (event instanceof MessageEvent m) {
            return message(m);
        }
        if (event instanceof CommandEvent c && c.topic() != null && !c.topic().isRedacted()) {
            return new CommandEvent(c.time(), c.source(), c.conn(), c.direction(), c.name(), mask(c.topic()),
                    c.detail());
        }
        return event;
    }

    /**
     * Frames not known to hold routing ids (a request or reply that {@code replay} shows) with every
     * frame masked but the empty ones, as a message from a tap; positions and sizes stay.
     *
     * <p>Usage: {@code Redaction.frames(List.of(Frame.EMPTY, Frame.of("42"))); // [EMPTY, (redacted 2 B)]}
     */
    public static List<Frame> frames(List<Frame> frames) {
        List<Frame> masked = new ArrayList<>(frames.size());
        for (Frame f : frames) {
            masked.add(mask(f));
        }
        return masked;
    }

    private static MessageEvent message(MessageEvent m) {
        List<Frame> frames = m.frames();
        // routing ids kept: the routed first frame and, in a routed message, the envelope up to the delimiter
        int kept = m.routed() ? Math.max(1, m.delimiter()) : 0;
        List<Frame> masked = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            masked.add(i < kept ? frames.get(i) : mask(frames.get(i)));
        }
        return new MessageEvent(m.time(), m.source(), m.conn(), m.seq(), m.direction(), m.identity(), masked,
                m.routed(), m.replyTo(), m.latencyNanos());
    }

    private static Frame mask(Frame f) {
        return f.isRedacted() ? f : Frame.redacted(f.size());
    }
}
