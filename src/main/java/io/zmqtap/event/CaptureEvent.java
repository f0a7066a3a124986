package io.zmqtap.event;

import java.time.Instant;

/**
 * Something a capture source saw. Every source (the queue and proxies, a monitor feed, the tap,
 * later pcap files) produces these immutable events, and every {@link Sink} consumes them. One
 * JSON-lines schema describes them all ({@code docs/json.md}).
 *
 * <p>Usage: {@code if (event instanceof MessageEvent m) System.out.println(m.direction() + " " + m.body());}
 */
public sealed interface CaptureEvent permits MessageEvent, NoticeEvent, ConnectionEvent, HandshakeEvent, CommandEvent,
        ProtocolErrorEvent, StatisticsEvent {
    /** When the source saw it. */
    Instant time();

    /** Which source saw it: a feed endpoint, a tap's listen address, a queue's frontend. */
    String source();

    /** The connection (e.g. a tap's {@code c1}) or flow within the source, or null when the source has none. */
    String conn();
}
