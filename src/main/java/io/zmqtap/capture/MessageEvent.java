package io.zmqtap.capture;

import java.time.Instant;
import java.util.List;

/**
 * One multipart message that travelled between a client and a server.
 *
 * <p>From a monitor feed {@code [in, id, "", "3"]}: direction {@code IN}, identity {@code id},
 * envelope {@code [id]}, body {@code ["3"]}.
 *
 * @param time when it was captured
 * @param source where it was captured
 * @param direction client to server ({@code IN}) or back ({@code OUT})
 * @param identity the client's routing id or identity, or {@code null} when not known
 * @param envelope routing frames before the empty delimiter (not including it); may be empty
 * @param body the payload frames after the delimiter (all frames when there is no envelope)
 */
public record MessageEvent(
        Instant time, String source, Direction direction, Frame identity, List<Frame> envelope, List<Frame> body)
        implements CaptureEvent {
    public MessageEvent {
        envelope = List.copyOf(envelope);
        body = List.copyOf(body);
    }

    /** Sum of the wire sizes of every frame in the envelope and body. */
    public long size() {
        long n = 0;
        for (Frame f : envelope) {
            n += f.size();
        }
        for (Frame f : body) {
            n += f.size();
        }
        return n;
    }
}
