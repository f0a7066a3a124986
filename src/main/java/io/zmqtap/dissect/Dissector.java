package io.zmqtap.dissect;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.zmtp.ZmtpDecoder;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Turns the ZMTP bytes of many connections into {@link CaptureEvent}s: what the connections of one
 * capture have in common (where events go, how much of each frame to keep, the counters, the
 * numbering of messages). Each connection gets its own {@link ConnectionDissector}. No I/O: callers
 * hand in the bytes and the time they were seen.
 *
 * <p>Messages are numbered ({@code seq}, from 1) across every connection of one dissector, each
 * connection's in its causal order: a reply's {@code seq} is higher than its request's.
 *
 * <p>Usage (a capture file read in order):
 * <pre>{@code
 * Dissector dissector = new Dissector(events::add);
 * ConnectionDissector c1 = dissector.connection("capture.pcap", "c1", "127.0.0.1:53122", "127.0.0.1:5555");
 * c1.client(ByteBuffer.wrap(clientBytes), t0);   // greeting, READY, a request
 * c1.server(ByteBuffer.wrap(serverBytes), t1);   // greeting, READY, the reply
 * c1.close(t2);                                  // CLOSED, with the totals
 * }</pre>
 *
 * <p>Events go to {@code events} on the threads that feed the connections, one connection's at a
 * time; with connections fed from several threads it must be thread-safe.
 */
public final class Dissector {
    private final Consumer<CaptureEvent> events;
    private final int snap;
    private final Counters counters;
    private final boolean confined;
    private final AtomicLong seq = new AtomicLong();

    /** Keeps {@link ZmtpDecoder#DEFAULT_MAX_FRAME} bytes of each frame and counts nothing. */
    public Dissector(Consumer<CaptureEvent> events) {
        this(events, ZmtpDecoder.DEFAULT_MAX_FRAME, Counters.NONE);
    }

    /**
     * @param events where every connection's events go
     * @param snap bytes of each frame kept in events; longer frames are cut, their size kept
     * @param counters told what was decoded, e.g. to keep a tap's totals
     */
    public Dissector(Consumer<CaptureEvent> events, int snap, Counters counters) {
        this(events, snap, counters, false);
    }

    private Dissector(Consumer<CaptureEvent> events, int snap, Counters counters, boolean confined) {
        if (snap < 0) {
            throw new IllegalArgumentException("snap must be >= 0, got " + snap);
        }
        this.events = Objects.requireNonNull(events);
        this.snap = snap;
        this.counters = Objects.requireNonNull(counters);
        this.confined = confined;
    }

    /**
     * A dissector whose connections are all fed in order by one thread at a time (a capture file,
     * a sniffer's capture loop; handed to another thread only with a happens-before edge, such as a
     * join), so that {@link ConnectionDissector#client(java.nio.ByteBuffer, java.time.Instant)} and
     * {@code server} take no lock per chunk: an uncontended lock still costs an atomic operation per
     * packet. Its connections must not be fed with stamps from several threads, as a tap does.
     *
     * <p>Usage: {@code Dissector d = Dissector.confined(pipeline::accept, 1 << 20, Dissector.Counters.NONE);}
     */
    public static Dissector confined(Consumer<CaptureEvent> events, int snap, Counters counters) {
        return new Dissector(events, snap, counters, true);
    }

    /**
     * A new connection.
     *
     * @param source what its events name as their source, e.g. a tap's listen address {@code tcp://127.0.0.1:4444}
     * @param conn its id within the source, e.g. {@code c1}
     * @param client the address of the peer that connected, e.g. {@code 127.0.0.1:53122}
     * @param server the address it connected to, e.g. {@code 127.0.0.1:5555}
     */
    public ConnectionDissector connection(String source, String conn, String client, String server) {
        return new ConnectionDissector(this, source, conn, client, server);
    }

    /** Fed by one thread at a time: see {@link #confined}. */
    boolean isConfined() {
        return confined;
    }

    Consumer<CaptureEvent> events() {
        return events;
    }

    int snap() {
        return snap;
    }

    Counters counters() {
        return counters;
    }

    /** The next message's {@code seq}, from 1. */
    long nextSeq() {
        return seq.incrementAndGet();
    }

    /**
     * Hears what the dissector decoded, as it decodes it (before events are put in order), for
     * totals kept elsewhere. Called on the threads that feed the connections; must be quick and
     * thread-safe.
     *
     * <p>Usage: {@code new Dissector(queue::offer, 1 << 20, tapCounters)}
     */
    public interface Counters {
        /** Counts nothing. */
        Counters NONE = new Counters() {};

        /** A data message was decoded in {@code direction}. */
        default void message(Direction direction) {}

        /** Decoding of {@code direction} stopped on a protocol error. */
        default void protocolError(Direction direction) {}
    }
}
