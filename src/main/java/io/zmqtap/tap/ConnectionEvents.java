package io.zmqtap.tap;

import io.zmqtap.capture.CaptureEvent;
import io.zmqtap.capture.ConnectionEvent;
import io.zmqtap.capture.Direction;
import io.zmqtap.capture.Frame;
import io.zmqtap.capture.NoticeEvent;
import io.zmqtap.zmtp.Greeting;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Turns what the two decoders of one connection see into capture events. No I/O: the pumps feed
 * it bytes, the connection tells it about opening and closing.
 *
 * <p>The connection's {@code OPENED} event waits until both peers' socket types are known, so that it
 * can name them; it is forced out earlier by the first message, a protocol error or the close, and
 * goes out as soon as both greetings are in when the handshake is encrypted (CURVE).
 *
 * <p>Usage: {@code ConnectionEvents ev = new ConnectionEvents("c1", client, upstream, queue::offer, counters, 1 << 20);}
 * then feed {@link #in()} and {@link #out()} from the pumps.
 */
final class ConnectionEvents {
    private final String id;
    private final String client;
    private final String upstream;
    private final Consumer<CaptureEvent> events;
    private final TapCounters counters;
    private final DirectionDecoder in;
    private final DirectionDecoder out;
    private volatile boolean opened;
    private volatile Frame clientIdentity;
    private boolean closed;

    ConnectionEvents(String id, String client, String upstream, Consumer<CaptureEvent> events, TapCounters counters,
            int maxFrame) {
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

    String id() {
        return id;
    }

    /** The client's own identity (READY {@code Identity}), or null when it set none. */
    Frame clientIdentity() {
        return clientIdentity;
    }

    void emit(CaptureEvent event) {
        events.accept(event);
    }

    TapCounters counters() {
        return counters;
    }

    /** Called by a direction once its handshake (greeting and metadata) is known. */
    void handshakeDone(DirectionDecoder side, Frame identity) {
        if (side == in) {
            clientIdentity = identity;
        }
        maybeOpen(false);
    }

    /** Emits {@code OPENED} now if it is due, or unconditionally with {@code force}; at most once. */
    void maybeOpen(boolean force) {
        if (opened) {
            return; // the common case, without taking the lock
        }
        synchronized (this) {
            if (opened) {
                return;
            }
            boolean typesKnown = in.socketType() != null && out.socketType() != null;
            boolean encrypted = in.greeting() != null && out.greeting() != null
                    && "CURVE".equals(in.greeting().mechanism());
            if (force || typesKnown || encrypted) {
                events.accept(connectionEvent(ConnectionEvent.Kind.OPENED, in.bytes(), out.bytes()));
                opened = true;
            }
        }
    }

    /** The upstream could not be reached: one error line, no open/close pair. */
    void upstreamFailed(String why) {
        counters.upstreamFailures.increment();
        events.accept(new NoticeEvent(Instant.now(), id, NoticeEvent.Level.ERROR,
                "cannot connect to upstream tcp://" + upstream + ": " + why + "; closed client " + client));
    }

    /** Both directions are done; reports {@code CLOSED} with the bytes each pump forwarded. Once only. */
    synchronized void closed(long bytesIn, long bytesOut) {
        if (closed) {
            return;
        }
        closed = true;
        maybeOpen(true);
        events.accept(connectionEvent(ConnectionEvent.Kind.CLOSED, bytesIn, bytesOut));
    }

    private ConnectionEvent connectionEvent(ConnectionEvent.Kind kind, long bytesIn, long bytesOut) {
        Greeting a = in.greeting();
        Greeting b = out.greeting();
        String version = null;
        String mechanism = null;
        if (a != null || b != null) {
            Greeting lower = a == null ? b : b == null ? a : compare(a, b) <= 0 ? a : b;
            version = lower.version();
            mechanism = (a != null ? a : b).mechanism();
        }
        return new ConnectionEvent(Instant.now(), id, kind, client, upstream, in.socketType(), out.socketType(),
                version, mechanism, bytesIn, bytesOut, in.messages(), out.messages());
    }

    private static int compare(Greeting a, Greeting b) {
        return a.major() != b.major() ? Integer.compare(a.major(), b.major()) : Integer.compare(a.minor(), b.minor());
    }
}
