package io.zmqtap.dissect;

import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.event.HandshakeEvent;
import io.zmqtap.event.NoticeEvent;
import io.zmqtap.event.ProtocolErrorEvent;
import io.zmqtap.zmtp.FrameSync;
import io.zmqtap.zmtp.Greeting;
import io.zmqtap.zmtp.ProtocolError;
import io.zmqtap.zmtp.ZmtpCommand;
import io.zmqtap.zmtp.ZmtpDecoder;
import io.zmqtap.zmtp.ZmtpListener;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes one direction of a connection and reports what it sees as events.
 *
 * <p>The events of each chunk are collected and handed to {@link ConnectionDissector#release} with
 * the chunk's ticket, which puts both directions in causal order. After a protocol error (or,
 * defensively, a decoder failure) it stops decoding; the bytes are still counted.
 *
 * <p>Joined mid-stream, or after a gap in the capture, it first feeds a {@link FrameSync}, which
 * only counts bytes until it trusts a frame boundary; decoding then starts there, with a notice
 * saying where (and how many bytes were skipped). Nothing decoded before a gap is carried past it.
 *
 * <p>It also tells when this direction's part of the handshake is through ({@link #handshakeOver()}):
 * the peer sent READY (NULL, or made up for ZMTP 2.0/1.0 peers) or INITIATE (PLAIN; CURVE's, which
 * is encrypted but named), or decoding stopped, after which nobody can tell.
 *
 * <p>Fed by one thread at a time; {@link #handshakeOver()} and the totals may be read by any.
 */
final class DirectionDecoder implements ZmtpListener {
    private final ConnectionDissector connection;
    private final Direction direction;
    private final int maxFrame;
    private ZmtpDecoder decoder;
    /** Looking for a trusted frame boundary (joined mid-stream, or after a gap); null otherwise. */
    private FrameSync sync;
    /** Where the bytes the sync looks at begin, and why: for its notices. */
    private long syncFrom;
    private boolean syncAfterGap;
    private volatile Greeting greeting;
    private volatile long bytes;
    private volatile long messages;
    private final Batch batch;
    private long ticket;
    private Instant time = Instant.EPOCH;
    private boolean stopped;
    private volatile boolean handshakeOver; // read by the forwarding thread

    private static final VarHandle BYTES;
    private static final VarHandle MESSAGES;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            BYTES = lookup.findVarHandle(DirectionDecoder.class, "bytes", long.class);
            MESSAGES = lookup.findVarHandle(DirectionDecoder.class, "messages", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    DirectionDecoder(ConnectionDissector connection, Direction direction, int maxFrame) {
        this.connection = connection;
        this.direction = direction;
        this.maxFrame = maxFrame;
        this.decoder = new ZmtpDecoder(this, maxFrame);
        this.batch = new Batch(direction);
    }

    /** The capture joined after the handshake: no greeting will come, decoding waits for a trusted boundary. */
    void joinedMidStream(ConnectionDissector.Stamp stamp) {
        stamp(stamp);
        if (!stopped) {
            handshakeOver = true; // no handshake will be seen
            resync(false);
        }
        release();
    }

    /** Decodes a chunk in the place {@code stamp} took; its events carry the stamp's time. */
    void decode(ConnectionDissector.Stamp stamp, ByteBuffer chunk) {
        stamp(stamp);
        feed(chunk);
        release();
    }

    /** As {@link #decode}, for a caller that holds the connection's lock and took the ticket under it. */
    void decodeHeld(long ticket, Instant time, ByteBuffer chunk) {
        stamp(ticket, time);
        feed(chunk);
        connection.releaseHeld(ticket, batch);
        batch.clear();
    }

    private void feed(ByteBuffer chunk) {
        long at = bytes;
        BYTES.setRelease(this, at + chunk.remaining()); // single writer: readers need no fence from it
        if (!stopped) {
            try {
                if (sync != null) {
                    syncChunk(chunk);
                } else {
                    decoder.feed(chunk);
                }
            } catch (RuntimeException e) {
                // The decoder promises not to throw; if it ever does, the caller (a tap forwarding) must go on regardless.
                protocolError(new ProtocolError(at, "decoder failed: " + e));
            }
        } else {
            chunk.position(chunk.limit());
        }
    }

    /**
     * {@code missing} bytes were not captured: a notice says so, what was being decoded is dropped
     * (no message straddles the gap) and decoding resumes at the next boundary a {@link FrameSync}
     * trusts.
     */
    void gap(ConnectionDissector.Stamp stamp, long missing) {
        stamp(stamp);
        long at = bytes;
        bytes = at + missing;
        if (!stopped) {
            handshakeOver = true;
            notice(NoticeEvent.Level.WARNING, missing + " bytes " + from() + " not captured at byte " + at
                    + ": decoding resumes where a frame boundary can be trusted again");
            resync(true);
        }
        release();
    }

    /** Starts looking for a trusted boundary from the next byte on. */
    private void resync(boolean afterGap) {
        syncFrom = bytes;
        syncAfterGap = afterGap;
        decoder = null;
        sync = new FrameSync(bytes, FrameSync.DEFAULT_WINDOW, new FrameSync.Listener() {
            @Override
            public void synced(long at) {
                decoder = ZmtpDecoder.joinedMidStream(DirectionDecoder.this, maxFrame, at, false);
                notice(NoticeEvent.Level.INFO, side() + " decoded from the first whole message after byte " + at
                        + ", the first frame boundary trusted after " + (syncAfterGap ? "the gap" : "joining mid-stream")
                        + "; the " + (at - syncFrom) + " bytes before it were skipped");
            }

            @Override
            public void bytes(byte[] b, int off, int len) {
                decoder.feed(b, off, len);
            }
        });
    }

    private void syncChunk(ByteBuffer chunk) {
        int n = chunk.remaining();
        if (chunk.hasArray()) {
            sync.chunk(chunk.array(), chunk.arrayOffset() + chunk.position(), n);
        } else {
            byte[] copy = new byte[n]; // pcap hands in heap buffers; a direct one is copied
            chunk.duplicate().get(copy);
            sync.chunk(copy, 0, n);
        }
        chunk.position(chunk.limit());
        if (sync.synced()) {
            sync = null;
        }
    }

    /** While never synced: one notice that nothing of this stretch was decoded; null when there is nothing to say. */
    private String unsynced() {
        if (sync == null || sync.synced() || bytes == syncFrom) {
            return null; // nothing came after the join or the gap: nothing to say
        }
        return side() + ": no frame boundary could be trusted after " + (syncAfterGap ? "the gap" : "joining mid-stream")
                + ", so its " + (bytes - syncFrom) + " bytes from byte " + syncFrom + " on were counted, not decoded";
    }

    private String side() {
        return direction == Direction.IN ? "client \u2192 server" : "server \u2192 client";
    }

    private String from() {
        return direction == Direction.IN ? "from the client" : "from the server";
    }

    private void notice(NoticeEvent.Level level, String text) {
        batch.event(new NoticeEvent(time, connection.source(), connection.conn(), level, text));
    }

    /** Stops decoding from here on, with {@code notice} (or none); the bytes that follow are still counted. */
    void stop(ConnectionDissector.Stamp stamp, String notice) {
        stamp(stamp);
        if (!stopped) {
            stopped = true;
            handshakeOver = true;
            if (notice != null) {
                batch.event(new NoticeEvent(time, connection.source(), connection.conn(), NoticeEvent.Level.WARNING,
                        notice));
            }
        }
        release();
    }

    private void stamp(ConnectionDissector.Stamp stamp) {
        stamp(stamp.ticket(), stamp.time());
    }

    private void stamp(long ticket, Instant time) {
        this.ticket = ticket;
        this.time = time;
        batch.start(time);
    }

    /** The peer closed its sending side (stamped when that was read). */
    void end(ConnectionDissector.Stamp stamp) {
        stamp(stamp);
        if (!stopped && sync != null) {
            sync.end(); // the FIN: a frame ending exactly there is a landing
            if (sync.synced()) {
                sync = null;
            } else {
                String never = unsynced();
                if (never != null) {
                    notice(NoticeEvent.Level.WARNING, never);
                }
                stopped = true;
            }
        }
        if (!stopped) {
            try {
                decoder.end();
            } catch (RuntimeException e) {
                protocolError(new ProtocolError(bytes, "decoder failed at end of stream: " + e));
            }
        }
        release();
    }

    /** The connection closes with this direction not ended: the notice of a search that never synced, or null. */
    NoticeEvent closing(Instant at) {
        String text = stopped ? null : unsynced();
        if (text == null) {
            return null;
        }
        stopped = true;
        return new NoticeEvent(at, connection.source(), connection.conn(), NoticeEvent.Level.WARNING, text);
    }

    private void release() {
        connection.release(ticket, batch);
        batch.clear();
    }

    @Override
    public void greeting(Greeting g) {
        greeting = g;
        if ("CURVE".equals(g.mechanism())) {
            // CURVE metadata is encrypted: the greeting is all there will ever be to show.
            handshake(g, null, Map.of());
        }
    }

    @Override
    public void command(ZmtpCommand c) {
        if (c instanceof ZmtpCommand.Ready || c instanceof ZmtpCommand.Initiate
                || c instanceof ZmtpCommand.CurveCommand k && (k.name().equals("READY") || k.name().equals("INITIATE"))) {
            handshakeOver = true;
        }
        if (c instanceof ZmtpCommand.Ready r) {
            handshake(greeting, r.socketType(), r.properties());
        } else if (c instanceof ZmtpCommand.Initiate i) {
            handshake(greeting, i.socketType(), i.properties());
        } else {
            batch.event(Commands.event(time, connection.source(), connection.conn(), direction, c));
        }
    }

    private void handshake(Greeting g, String type, Map<String, byte[]> properties) {
        Frame identity = null;
        Map<String, Frame> others = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> p : properties.entrySet()) {
            String name = p.getKey();
            if (name.equalsIgnoreCase("Identity")) {
                identity = p.getValue().length == 0 ? null : Frame.of(p.getValue());
            } else if (!name.equalsIgnoreCase("Socket-Type")) {
                others.put(name, Frame.of(p.getValue()));
            }
        }
        Greeting shown = g != null ? g : new Greeting(3, 0, "NULL", false);
        String mechanism = shown.mechanism();
        String curveKey = connection.decryptedKey(direction);
        if (curveKey != null) { // a decrypting tap fed us the plaintext of a CURVE connection
            mechanism = "CURVE";
            others.put("decrypted by", Frame.of("zmqtap tap"));
            others.put("CURVE key", Frame.of(curveKey));
        }
        batch.event(new HandshakeEvent(time, connection.source(), connection.conn(), direction, shown.version(),
                mechanism, shown.asServer(), type, identity, others));
    }

    @Override
    public void message(List<Frame> frames) {
        MESSAGES.setRelease(this, messages + 1); // single writer (the thread feeding this direction): no fence
        connection.counters().message(direction);
        // its event is made at release, where the order (so its seq and the client's identity) is known
        batch.message(frames);
    }

    @Override
    public void protocolError(ProtocolError e) {
        if (stopped) {
            return;
        }
        stopped = true;
        handshakeOver = true;
        connection.counters().protocolError(direction);
        batch.event(new ProtocolErrorEvent(time, connection.source(), connection.conn(), direction, e.offset(), e.message()));
    }

    /** True once this direction sent its last handshake command, or decoding stopped. */
    boolean handshakeOver() {
        return handshakeOver;
    }

    Greeting greeting() {
        return greeting;
    }

    long bytes() {
        return bytes;
    }

    long messages() {
        return messages;
    }
}
