package io.zmqtap.capture;

import java.time.Instant;

/**
 * Something a capture source saw. Every source (a monitor feed, the wire tap, later pcap files)
 * produces these immutable events, and every sink consumes them.
 */
public sealed interface CaptureEvent permits MessageEvent, NoticeEvent, ConnectionEvent, HandshakeEvent, CommandEvent,
        ProtocolErrorEvent {
    /** When the source saw it. */
    Instant time();

    /** Where it was seen: a feed endpoint, or a tap connection id such as {@code c1}. */
    String source();
}
