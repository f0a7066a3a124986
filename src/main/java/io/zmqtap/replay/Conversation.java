package io.zmqtap.replay;

import io.zmqtap.event.Frame;
import java.util.List;

/**
 * One client's requests, to be sent again on one socket of its own, in recorded order.
 *
 * @param name how reports name it: the connection ({@code c1}), or the client's identity
 * @param kind the socket that sends them
 * @param identity the identity to give that socket (the recorded client chose it), or null
 * @param requests the requests, in recorded order
 */
public record Conversation(String name, Kind kind, Frame identity, List<Request> requests) {
    /** The socket a conversation is sent on. */
    public enum Kind {
        /**
         * The requests were a REQ's: an empty delimiter, then the body. A REQ sends the body and
         * adds the delimiter itself; it waits for each reply before the next request.
         */
        REQ,
        /** Anything else (routing frames before the delimiter, or none at all): sent frame for frame. */
        DEALER
    }

    public Conversation {
        requests = List.copyOf(requests);
    }
}
