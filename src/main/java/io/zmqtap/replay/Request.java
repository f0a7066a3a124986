package io.zmqtap.replay;

import io.zmqtap.event.Frame;
import io.zmqtap.event.MessageEvent;
import java.util.List;

/**
 * One recorded request and what came back for it.
 *
 * @param recorded the request as recorded
 * @param offsetNanos how long after the recording's first replayed request it was sent
 * @param send the frames to send: all of them on a DEALER, the body on a REQ (which adds the delimiter)
 * @param reply the recorded reply, or null when none was recorded
 * @param expected the recorded reply as the client received it (without a ROUTER's routing id), or null
 */
public record Request(MessageEvent recorded, long offsetNanos, List<Frame> send, MessageEvent reply,
        List<Frame> expected) {
    public Request {
        send = List.copyOf(send);
        expected = expected == null ? null : List.copyOf(expected);
    }

    /** The recorded request's number within its source. */
    public long seq() {
        return recorded.seq();
    }
}
