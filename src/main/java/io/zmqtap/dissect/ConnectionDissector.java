package io.zmqtap.dissect;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.ConnectionEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.event.HandshakeEvent;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.NoticeEvent;
import io.zmqtap.event.ProtocolErrorEvent;
import io.zmqtap.zmtp.FrameSync;
import io.zmqtap.zmtp.Greeting;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The ZMTP bytes of one connection, both directions, as events: each peer's handshake, its
 * messages (every frame, numbered, with the client's identity), commands and protocol errors,
 * and the {@code OPENED}/{@code CLOSED} pair that sums the connection up. No I/O: the caller hands
 * in each chunk with the time it was seen. Made by {@link Dissector#connection}.
 *
 * <p>Fed in order (a capture file, a test), it is as simple as:
 * <pre>{@code
 * ConnectionDissector c = dissector.connection("tcp://127.0.0.1:4444", "c1", "127.0.0.1:53122", "127.0.0.1:5555");
 * c.client(request, t0);       // what the client sent, split anywhere
 * c.server(reply, t1);         // what the server sent
 * c.clientEnded(t2);           // the client closed its sending side
 * c.close(t3);                 // CLOSED, with the bytes and messages each way
 * }</pre>
 *
 * <p><b>Causal order across threads.</b> A forwarder that moves the two directions on two threads
 * and decodes later takes a {@link Stamp} for each chunk when it arrives, before forwarding it,
 * and decodes it with that stamp, in each direction's order, whenever it likes:
 * <pre>{@code
 * ConnectionDissector.Stamp s = c.stamp(Instant.now());  // forwarding thread, before writing the chunk on
 * ...
 * c.server(s, copy);                                      // decoding thread, later
 * }</pre>
 * A reply can only be read after its request was written, so its stamp is later; events are
 * released strictly in stamp order, whichever direction was decoded first. Everything that depends
 * on order (the client's identity on messages, {@code seq}, {@code OPENED}) is decided at release.
 * Each direction must be fed by one thread at a time; the two directions may be fed from different
 * threads. Times never run backwards in stamp order: a time before the last stamp's is raised to it.
 *
 * <p>{@code OPENED} waits until both peers' socket types are known, so that it can name them; the
 * first message, a protocol error or the close force it out earlier, and it goes out once both
 * greetings are in when the handshake is encrypted (CURVE). After {@code CLOSED} nothing more is
 * released.
 *
 * <p>After a protocol error that direction is no longer decoded (its bytes are still counted); the
 * other direction goes on. After a {@link #clientGap gap} in what was captured, and on a connection
 * {@link #joinedMidStream joined mid-stream}, a direction is decoded again from the first frame
 * boundary a {@link FrameSync} trusts.
 */
public final class ConnectionDissector {
    private final Dissector dissector;
    private final String source;
    private final String conn;
    private final String client;
    private final String server;
    private final Consumer<CaptureEvent> events;
    private final DirectionDecoder in;
    private final DirectionDecoder out;
    private final Consumer<Batch> publish = this::publish; // once: a method reference made per chunk was 8 % of read's garbage
    /** Fed by one thread at a time ({@link Dissector#confined}): chunks fed in order take no lock. */
    private final boolean confined;
    // The rest is guarded by this.
    private final TicketOrder order = new TicketOrder();
    private long nextTicket;
    private Instant lastTime = Instant.EPOCH;
    private boolean opened;
    private boolean closed;
    private String clientType;
    private String serverType;
    private Frame clientIdentity;
    /** Set when a tap decrypted CURVE and feeds the plaintext: each peer's long-term key, Z85. */
    private volatile String curveClientKey;
    private volatile String curveServerKey;

    ConnectionDissector(Dissector dissector, String source, String conn, String client, String server) {
        this.dissector = dissector;
        this.source = source;
        this.conn = conn;
        this.client = client;
        this.server = server;
        this.events = dissector.events();
        this.confined = dissector.isConfined();
        this.in = new DirectionDecoder(this, Direction.IN, dissector.snap());
        this.out = new DirectionDecoder(this, Direction.OUT, dissector.snap());
    }

    /** A chunk's place in the connection's causal order, and the time its events carry. */
    public record Stamp(long ticket, Instant time) {}

    /**
     * Gives a chunk (or an end) that was just seen its place in the connection's order, e.g. on a
     * forwarding thread before the chunk is written on. Thread-safe.
     */
    public synchronized Stamp stamp(Instant time) {
        return new Stamp(nextTicket++, notBeforeLast(time));
    }

    /** {@code time}, or the last stamp's time when that is later; it becomes the last. Under the lock. */
    private Instant notBeforeLast(Instant time) {
        if (time.isBefore(lastTime)) {
            time = lastTime;
        }
        lastTime = time;
        return time;
    }

    /** Decodes what the client sent (all of {@code chunk}'s remaining bytes), seen at {@code time}, after everything fed so far. */
    public void client(ByteBuffer chunk, Instant time) {
        inOrder(in, chunk, time);
    }

    /** Decodes what the server sent, seen at {@code time}, after everything fed so far. */
    public void server(ByteBuffer chunk, Instant time) {
        inOrder(out, chunk, time);
    }

    /**
     * A chunk fed in order takes its ticket, is decoded and has its events released under one hold
     * of the lock: a stamp and a release, each locking on its own, cost four atomic operations per
     * packet of a capture file. A confined connection takes none.
     */
    private void inOrder(DirectionDecoder d, ByteBuffer chunk, Instant time) {
        if (confined) {
            d.decodeHeld(nextTicket++, notBeforeLast(time), chunk);
            return;
        }
        synchronized (this) {
            d.decodeHeld(nextTicket++, notBeforeLast(time), chunk);
        }
    }

    /** Decodes what the client sent, in the place {@code stamp} took. */
    public void client(Stamp stamp, ByteBuffer chunk) {
        in.decode(stamp, chunk);
    }

    /** Decodes what the server sent, in the place {@code stamp} took. */
    public void server(Stamp stamp, ByteBuffer chunk) {
        out.decode(stamp, chunk);
    }

    /** The client closed its sending side: a message or greeting it left unfinished is a protocol error. */
    public void clientEnded(Instant time) {
        in.end(stamp(time));
    }

    /** The server closed its sending side. */
    public void serverEnded(Instant time) {
        out.end(stamp(time));
    }

    /** The client closed its sending side, in the place {@code stamp} took. */
    public void clientEnded(Stamp stamp) {
        in.end(stamp);
    }

    /** The server closed its sending side, in the place {@code stamp} took. */
    public void serverEnded(Stamp stamp) {
        out.end(stamp);
    }

    /**
     * {@code bytes} of what the client sent were not captured (seen at {@code time}): a notice says
     * so, whatever of the client's direction was being decoded is dropped (no message straddles the
     * gap) and decoding resumes where a frame boundary can be trusted again ({@link FrameSync}), with
     * a notice saying where; until then the bytes are only counted.
     */
    public void clientGap(long bytes, Instant time) {
        in.gap(stamp(time), bytes);
    }

    /**
     * The capture joined this connection after its handshake (no greeting, no READY will come): each
     * direction counts its bytes until a {@link FrameSync} trusts a frame boundary, then decodes
     * from there, with a notice per direction saying from which byte (and how many were skipped);
     * a direction that never syncs says so once, when it ends or the connection closes. Messages
     * carry no client identity and no handshake events are reported. Call before feeding any bytes.
     *
     * <p>Usage: {@code c.joinedMidStream(firstPacketTime); c.client(segment, t); ...}
     */
    public void joinedMidStream(Instant time) {
        in.joinedMidStream(stamp(time));
        out.joinedMidStream(stamp(time));
    }

    /**
     * Neither direction can be decoded, e.g. a capture that joined after the handshake, where no
     * frame boundary is known: decoding stops with one notice saying {@code why}, and the bytes are
     * still counted for {@code CLOSED}. Call before feeding any bytes.
     */
    public void undecodable(String why, Instant time) {
        in.stop(stamp(time), why);
        out.stop(stamp(time), null);
    }

    /** {@code bytes} of what the server sent were not captured: see {@link #clientGap}. */
    public void serverGap(long bytes, Instant time) {
        out.gap(stamp(time), bytes);
    }

    /**
     * The connection is over: releases what waits (in order, skipping chunks never decoded), then
     * {@code CLOSED} with the bytes and messages each way. Call after the last chunk was decoded.
     * Once only; later calls and chunks do nothing.
     */
    public synchronized void close(Instant time) {
        if (closed) {
            return;
        }
        // A chunk whose ticket came first may still be missing (torn down mid-chunk): show what is here, in order.
        order.flush(publish);
        closed = true;
        Instant at = stamp(time).time();
        for (DirectionDecoder d : new DirectionDecoder[] {in, out}) {
            NoticeEvent never = d.closing(at); // a direction still looking for a boundary says it never found one
            if (never != null) {
                events.accept(never);
            }
        }
        maybeOpen(true, at);
        events.accept(connectionEvent(at, ConnectionEvent.Kind.CLOSED));
    }

    /**
     * The connection was dropped before its handshake was through, as a tap drops a silent one.
     * The {@code OPENED}/{@code CLOSED} pair is left out unless {@code OPENED} went out already, so
     * that a flood of half-open connections does not become a flood of events.
     */
    public synchronized void drop(Instant time) {
        if (opened) {
            close(time);
        }
        closed = true;
    }

    /**
     * This connection is CURVE, decrypted by a tap that holds the server's key and feeds the
     * plaintext (each side a NULL greeting of its version and a READY with its real metadata, then
     * its frames). The handshake and connection events then say {@code CURVE}, and each handshake
     * carries two facts beside the metadata, under names no ZMTP property can have:
     * {@code decrypted by} ({@code zmqtap tap}) and {@code CURVE key} (the peer's long-term public
     * key in Z85: the client's as its INITIATE vouched for it, the server's from its certificate).
     * Call before feeding any bytes.
     *
     * <p>Usage: {@code c.decryptedCurve(bridge.clientKeyZ85(), bridge.serverKeyZ85()); c.client(stamp, prologue); ...}
     */
    public void decryptedCurve(String clientKey, String serverKey) {
        this.curveClientKey = clientKey;
        this.curveServerKey = serverKey;
    }

    /** The long-term key of the peer sending {@code direction}, when a tap decrypted CURVE; null otherwise. */
    String decryptedKey(Direction direction) {
        return direction == Direction.IN ? curveClientKey : curveServerKey;
    }

    /**
     * True once both peers' handshakes are through: each sent READY (NULL, or made up for ZMTP
     * 2.0/1.0 peers) or INITIATE (PLAIN; CURVE's, which is encrypted but named), or its decoding
     * stopped, after which nobody can tell. Thread-safe, e.g. for a handshake deadline.
     */
    public boolean handshakeOver() {
        return in.handshakeOver() && out.handshakeOver();
    }

    /** What its events name as their source, e.g. {@code tcp://127.0.0.1:4444}. */
    public String source() {
        return source;
    }

    /** Its id within the source, e.g. {@code c1}. */
    public String conn() {
        return conn;
    }

    /** The client's address, e.g. {@code 127.0.0.1:53122}. */
    public String client() {
        return client;
    }

    /** The server's address, e.g. {@code 127.0.0.1:5555}. */
    public String server() {
        return server;
    }

    Dissector.Counters counters() {
        return dissector.counters();
    }

    /** Publishes the events decoded from the chunk with {@code ticket} after every earlier ticket's. */
    synchronized void release(long ticket, Batch batch) {
        releaseHeld(ticket, batch);
    }

    /** As {@link #release}, for a caller that holds the lock already. */
    void releaseHeld(long ticket, Batch batch) {
        if (!closed) {
            order.add(ticket, batch, publish);
        }
    }

    @SuppressWarnings("unchecked") // a batch's items are events or a message's frames (see Batch)
    private void publish(Batch batch) {
        Instant time = batch.time();
        for (int i = 0, n = batch.size(); i < n; i++) { // indexed: no iterator per chunk
            Object item = batch.item(i);
            if (item instanceof List<?> frames) {
                maybeOpen(true, time);
                // numbered here, in the connection's causal order, so a reply's seq follows its request's
                events.accept(new MessageEvent(time, source, conn, dissector.nextSeq(), batch.direction,
                        clientIdentity, (List<Frame>) frames, false));
            } else if (item instanceof HandshakeEvent h) {
                if (h.direction() == Direction.IN) {
                    clientType = h.socketType();
                    clientIdentity = h.identity();
                } else {
                    serverType = h.socketType();
                }
                events.accept(h);
                maybeOpen(false, time);
            } else if (item instanceof ProtocolErrorEvent e) {
                maybeOpen(true, time);
                events.accept(e);
            } else {
                CaptureEvent e = (CaptureEvent) item;
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
            events.accept(connectionEvent(time, ConnectionEvent.Kind.OPENED));
            opened = true;
        }
    }

    private ConnectionEvent connectionEvent(Instant time, ConnectionEvent.Kind kind) {
        Greeting a = in.greeting();
        Greeting b = out.greeting();
        String version = null;
        String mechanism = null;
        if (a != null || b != null) {
            Greeting lower = a == null ? b : b == null ? a : compare(a, b) <= 0 ? a : b;
            version = lower.version();
            mechanism = curveClientKey != null ? "CURVE" : (a != null ? a : b).mechanism();
        }
        return new ConnectionEvent(time, source, conn, kind, client, server, clientType, serverType,
                version, mechanism, in.bytes(), out.bytes(), in.messages(), out.messages());
    }

    private static int compare(Greeting a, Greeting b) {
        return a.major() != b.major() ? Integer.compare(a.major(), b.major()) : Integer.compare(a.minor(), b.minor());
    }
}
