package io.zmqtap.tap;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.ConnectionEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.event.HandshakeEvent;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.ProtocolErrorEvent;
import io.zmqtap.zmtp.Greeting;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Puts the events of one connection's two directions into causal order and adds what needs both
 * directions: the {@code OPENED}/{@code CLOSED} events and the client's identity. No I/O.
 *
 * <p>Ordering: each direction takes a ticket ({@link #stamp()}) when a chunk arrives, before
 * forwarding it, and the chunk is decoded after it was forwarded. A reply can only be read after
 * its request was written, so its ticket is higher; {@link #release} publishes batches strictly in
 * ticket order, whichever direction's chunk was decoded first (the tap forwards the two directions
 * on two threads, so the reply's chunk may reach the decoder before its request's). Everything that depends on
 * order (identity, open) is decided here, at release.
 *
 * <p>The {@code OPENED} event waits until both peers' socket types are known, so that it can name
 * them; the first message, a protocol error or the close force it out earlier, and it goes out
 * once both greetings are in when the handshake is encrypted (CURVE).
 *
 * <p>Usage: {@code ConnectionEvents ev = new ConnectionEvents("tcp://127.0.0.1:4444", "c1", client, upstream, queue::offer, counters, 1 << 20);}
 * then stamp each chunk and feed it to {@link #in()} or {@link #out()}.
 */
final class ConnectionEvents {
    private final String source;
    private final String id;
    private final String client;
    private final String upstream;
    private final Consumer<CaptureEvent> events;
    private final TapCounters counters;
    private final DirectionDecoder in;
    private final DirectionDecoder out;
    // The rest is guarded by this.
    private final Map<Long, List<CaptureEvent>> early = new HashMap<>();
    private long nextTicket;
    private long nextRelease;
    private boolean opened;
    private boolean closed;
    private String clientType;
    private String serverType;
    private Frame clientIdentity;

    ConnectionEvents(String source, String id, String client, String upstream, Consumer<CaptureEvent> events,
            TapCounters counters, int maxFrame) {
        this.source = source;
        this.id = id;
        this.client = client;
        this.upstream = upstream;
        this.events = events;
        this.counters = counters;
        this.in = new DirectionDecoder(this, Direction.IN, maxFrame);
        this.out = new DirectionDecoder(this, Direction.OUT, maxFrame);
    }

    /** Client to server. */
    DirectionDecoder in() {
        return in;
    }

    /** Server to client. */
    DirectionDecoder out() {
        return out;
    }

    /** The tap's listen address, which its events name as their source. */
    String source() {
        return source;
    }

    String id() {
        return id;
    }

    TapCounters counters() {
        return counters;
    }

    /** A chunk's place in the connection's causal order and the time it arrived. */
    record Stamp(long ticket, Instant time) {}

    /**
     * Gives a chunk that just arrived (before it is forwarded) its place and time. Both are taken
     * under one lock, so times never run backwards in ticket order.
     */
    synchronized Stamp stamp() {
        return new Stamp(nextTicket++, Instant.now());
    }

    /** Gives a chunk that arrives now its place and time (for callers that decode as they forward). */
    void arrive(DirectionDecoder side) {
        side.stamp(stamp());
    }

    /**
     * Publishes the events decoded from the chunk with {@code ticket}, after every earlier ticket's.
     * After {@code CLOSED} nothing more is published: a chunk read while the connection was being
     * torn down from the other direction's thread is dropped rather than shown after the close.
     */
    synchronized void release(long ticket, List<CaptureEvent> batch) {
        if (closed) {
            return;
        }
        if (ticket != nextRelease) {
            early.put(ticket, List.copyOf(batch)); // the caller reuses its list
            return;
        }
        publish(batch);
        nextRelease++;
        for (List<CaptureEvent> next; (next = early.remove(nextRelease)) != null; nextRelease++) {
            publish(next);
        }
    }

    private void publish(List<CaptureEvent> batch) {
        for (CaptureEvent e : batch) {
            if (e instanceof HandshakeEvent h) {
                if (h.direction() == Direction.IN) {
                    clientType = h.socketType();
                    clientIdentity = h.identity();
                } else {
                    serverType = h.socketType();
                }
                events.accept(e);
                maybeOpen(false, e.time());
            } else if (e instanceof MessageEvent m) {
                maybeOpen(true, e.time());
                // numbered here, in the connection's causal order, so a reply's seq follows its request's
                events.accept(new MessageEvent(m.time(), m.source(), m.conn(), counters.nextSeq(), m.direction(),
                        clientIdentity, m.frames(), false));
            } else if (e instanceof ProtocolErrorEvent) {
                maybeOpen(true, e.time());
                events.accept(e);
            } else {
                events.accept(e);
                maybeOpen(false, e.time());
            }
        }
    }

    /**
     * Emits {@code OPENED} now if it is due, or unconditionally with {@code force}; at most once.
     * It takes the time of the event that made it due, so that times never run backwards.
     */
    private void maybeOpen(boolean force, Instant time) {
        if (opened) {
            return;
        }
        boolean typesKnown = clientType != null && serverType != null;
        boolean encrypted = in.greeting() != null && out.greeting() != null && "CURVE".equals(in.greeting().mechanism());
        if (force || typesKnown || encrypted) {
            events.accept(connectionEvent(time, ConnectionEvent.Kind.OPENED, in.bytes(), out.bytes()));
            opened = true;
        }
    }

    /** Both directions are done; reports {@code CLOSED} with the bytes each flow forwarded. Once only. */
    synchronized void closed(long bytesIn, long bytesOut) {
        if (closed) {
            return;
        }
        // A chunk whose ticket came first may still be missing (torn down mid-chunk): show what is here, in order.
        early.keySet().stream().sorted().forEach(t -> publish(early.get(t)));
        early.clear();
        closed = true;
        Instant now = Instant.now();
        maybeOpen(true, now);
        events.accept(connectionEvent(now, ConnectionEvent.Kind.CLOSED, bytesIn, bytesOut));
    }

    /**
     * The tap dropped the connection before its handshake was through. A notice says so; the
     * {@code OPENED}/{@code CLOSED} pair is left out unless {@code OPENED} went out already, so
     * that a flood of half-open connections does not become a flood of events.
     */
    synchronized void dropped(long bytesIn, long bytesOut) {
        if (opened) {
            closed(bytesIn, bytesOut);
        }
        closed = true;
    }

    /** True once both peers' handshakes are through (or undecodable): see {@link DirectionDecoder#handshakeOver()}. */
    boolean handshakeOver() {
        return in.handshakeOver() && out.handshakeOver();
    }

    /** The upstream's address, e.g. {@code 127.0.0.1:5555}. */
    String upstream() {
        return upstream;
    }

    /** The client's address, e.g. {@code 127.0.0.1:53122}. */
    String client() {
        return client;
    }

    private ConnectionEvent connectionEvent(Instant time, ConnectionEvent.Kind kind, long bytesIn, long bytesOut) {
        Greeting a = in.greeting();
        Greeting b = out.greeting();
        String version = null;
        String mechanism = null;
        if (a != null || b != null) {
            Greeting lower = a == null ? b : b == null ? a : compare(a, b) <= 0 ? a : b;
            version = lower.version();
            mechanism = (a != null ? a : b).mechanism();
        }
        return new ConnectionEvent(time, source, id, kind, client, upstream, clientType, serverType,
                version, mechanism, bytesIn, bytesOut, in.messages(), out.messages());
    }

    private static int compare(Greeting a, Greeting b) {
        return a.major() != b.major() ? Integer.compare(a.major(), b.major()) : Integer.compare(a.minor(), b.minor());
    }
}
