package io.zmqtap.proxy;

import io.zmqtap.zmtp.FrameScanner;
import io.zmqtap.event.Frame;
import io.zmqtap.endpoint.NetAddress;
import io.zmqtap.zmtp.Greeting;
import io.zmqtap.zmtp.ProtocolError;
import io.zmqtap.zmtp.ZmtpCommand;
import io.zmqtap.zmtp.ZmtpDecoder;
import io.zmqtap.zmtp.ZmtpListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * One ZMTP connection of the wire engine: its channel, the bytes read but not yet forwarded, the
 * bytes waiting to be written, and where it is in the handshake. Handshake commands are parsed by
 * zmqtap's own {@link ZmtpDecoder}, fed whole frames; traffic is only scanned, not decoded.
 *
 * <p>Its buffers start small and grow only with bytes that arrived or were forwarded to it, never
 * with a size a peer announced: a header claiming 256 MiB costs nothing until 256 MiB come. Every
 * change of their size is charged to the engine's {@link WireMemory}.
 */
final class WirePeer implements ZmtpListener {
    /** A fresh connection's buffers: small, so that thousands of idle connections cost little. */
    static final int INITIAL_BUFFER = 4 * 1024;
    /**
     * The most one read or write asks of the channel. The JDK copies a heap buffer through a
     * temporary direct buffer as large as what is asked, so asking for all of a 64 MiB message on
     * every partial write copied it again each time.
     */
    private static final int CHUNK = 1 << 20;
    /** A buffer grown past this for a big message is replaced by a small one once it is empty. */
    private static final int SHRINK_ABOVE = 1 << 20;

    enum State { GREETING, HANDSHAKE, READY, CLOSED }

    final WireSide side;
    final SocketChannel channel;
    final String remote;
    /** Where it was dialled from, for a connection zmqtap opened; {@code null} for one it accepted. */
    final WireDialer dialer;
    private final WireMemory memory;
    SelectionKey key;
    final long openedAt = System.nanoTime();
    State state = State.GREETING;
    ByteBuffer in = ByteBuffer.allocate(INITIAL_BUFFER); // write mode: read() appends
    ByteBuffer out = ByteBuffer.allocate(INITIAL_BUFFER); // write mode: forwarding appends
    /** How much of {@code out} from its start has been written already. */
    private int sent;
    /** Bytes written to the channel since the connection opened (the capture's queue accounting needs it). */
    long written;
    /** Its routing id, for a frontend peer once ready. */
    byte[] routingId;
    ByteBuffer routingKey;
    /** The Socket-Type its READY named, e.g. {@code REP}; null before. */
    String socketType;
    /** True once our greeting's major version went out (after the peer's signature came). */
    boolean majorSent;
    /** When it went out, for a peer that then waits for the rest of ours before sending its own. */
    long majorSentAt;
    /** True once the rest of our greeting and our READY are on their way. */
    boolean greetingSent;
    /** True while a message from it waits for room on the other side. */
    boolean stalled;
    /** True while it has output not yet handed to the channel this turn. */
    boolean dirty;
    /** True while its output waits to be written with more (a capture subscriber's; see WirePeers.markLater). */
    boolean later;
    /**
     * While paused: how many bytes past {@code in}'s read position are held messages already
     * scanned (commands among them were answered and taken out), so the next read scans on from there.
     */
    int heldScanned;
    /** True once it closed its side while paused with messages held: it is closed when they have gone. */
    boolean eof;
    /** A server's requests not yet answered (a REP server answers each exactly once). */
    int inFlight;
    /** A server's counts, shared by every connection to its address; null for other peers. */
    ServerCounters.Counts serverCounts;
    /** What the capture side keeps of a subscriber; null for other peers. */
    CapturePublisher.Subscriber subscriber;
    /** Set by the decoder while a handshake frame is fed: what it understood. */
    private Greeting greeting;
    private ZmtpCommand command;
    private String error;
    private final ZmtpDecoder decoder = new ZmtpDecoder(this, FrameScanner.DEFAULT_MAX_COMMAND); // READY may carry metadata

    WirePeer(WireSide side, SocketChannel channel, WireDialer dialer, WireMemory memory) {
        this(side, channel, dialer, memory, dialer != null ? dialer.address.toString().replaceFirst("^tcp://", "")
                : NetAddress.describePeer(channel));
    }

    /**
     * A peer without a channel, called {@code remote}: what the handshake and the router need, for
     * driving them with bytes alone (tests). Its output stays in {@link #out}.
     */
    WirePeer(WireSide side, String remote, WireMemory memory) {
        this(side, null, null, memory, remote);
    }

    private WirePeer(WireSide side, SocketChannel channel, WireDialer dialer, WireMemory memory, String remote) {
        this.side = side;
        this.channel = channel;
        this.dialer = dialer;
        this.memory = memory;
        this.remote = remote;
        memory.add(held());
    }

    /** Feeds a whole greeting or command frame to the decoder; returns what it made of it. */
    ZmtpCommand decodeCommand(ByteBuffer b, int from, int to) {
        command = null;
        decoder.feed(b.duplicate().limit(to).position(from));
        return command;
    }

    Greeting decodeGreeting(ByteBuffer b, int from, int to) {
        greeting = null;
        decoder.feed(b.duplicate().limit(to).position(from));
        return greeting;
    }

    /** The decoder's complaint about the last frame fed, or {@code null}. */
    String decodeError() {
        return error;
    }

    /** The memory its buffers take: what it costs the engine's budget. */
    long held() {
        return (long) in.capacity() + out.capacity();
    }

    /** Bytes waiting in it: read but not yet handled, or handled but not yet written. */
    long pending() {
        return (long) in.position() + unsent();
    }

    /**
     * Makes room for {@code bytes} more output: first by moving what is still unsent to the front,
     * then by growing the buffer (to what is needed, at least double).
     */
    ByteBuffer reserveOut(long bytes) {
        if (out.remaining() < bytes && sent > 0) {
            out.limit(out.position()).position(sent);
            out.compact();
            sent = 0;
        }
        if (out.remaining() < bytes) {
            out = resized(out, Math.max(out.position() + bytes, 2L * out.capacity()), true);
        }
        return out;
    }

    /** Bytes waiting to be written. */
    int unsent() {
        return out.position() - sent;
    }

    /**
     * Back to write mode after {@code in} was processed. Moves the unprocessed bytes to the front
     * only when they do not start there already: a large message arriving in many reads would
     * otherwise be copied onto itself after every read.
     */
    void compactIn() {
        if (!in.hasRemaining() && in.capacity() > SHRINK_ABOVE) {
            replaceIn(ByteBuffer.allocate(INITIAL_BUFFER)); // a big message has gone: give its memory back
        } else if (in.position() == 0) {
            in.position(in.limit()).limit(in.capacity());
        } else {
            in.compact();
        }
    }

    /**
     * After {@link #compactIn()}, when the unit at the buffer's start needs {@code needed} bytes in
     * all: when the buffer is full, doubles it, but never past {@code needed}. So the buffer is at
     * most twice what the peer sent, whatever size its frame header announced.
     */
    void makeRoomFor(long needed) {
        if (in.hasRemaining() || in.capacity() >= needed) {
            return;
        }
        long target = Math.min(needed, 2L * in.capacity());
        replaceIn(resized(in, target, false));
    }

    private void replaceIn(ByteBuffer bigger) {
        memory.add((long) bigger.capacity() - in.capacity());
        in = bigger;
    }

    /** A copy of write-mode buffer {@code b} holding its bytes in a larger capacity; charged to the budget if output. */
    private ByteBuffer resized(ByteBuffer b, long capacity, boolean output) {
        ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(capacity, Integer.MAX_VALUE - 16));
        b.flip();
        bigger.put(b);
        if (output) {
            memory.add((long) bigger.capacity() - b.capacity());
        }
        return bigger;
    }

    /** Gives grown buffers back while they are empty (when memory runs short); returns the bytes freed. */
    long trim() {
        long before = held();
        if (in.position() == 0 && in.capacity() > INITIAL_BUFFER) {
            replaceIn(ByteBuffer.allocate(INITIAL_BUFFER));
        }
        if (!hasOutput() && out.capacity() > INITIAL_BUFFER) {
            memory.add(INITIAL_BUFFER - out.capacity());
            out = ByteBuffer.allocate(INITIAL_BUFFER);
            sent = 0;
        }
        return before - held();
    }

    /** The connection is gone: its buffers no longer count. */
    void release() {
        memory.add(-held());
        in = ByteBuffer.allocate(0);
        out = ByteBuffer.allocate(0);
        sent = 0;
    }

    /** Reads what the channel has, up to {@link #CHUNK}; -1 at the end of the stream. */
    int read() throws IOException {
        int limit = in.limit();
        in.limit(Math.min(limit, in.position() + CHUNK));
        try {
            return channel.read(in);
        } finally {
            in.limit(limit);
        }
    }

    boolean hasOutput() {
        return out.position() > sent;
    }

    /**
     * Writes what it can without blocking ({@link #hasOutput()} says whether some is left). What is
     * left stays where it is (see {@link #reserveOut}): moving it after every partial write made
     * large messages slow.
     */
    void flush() throws IOException {
        int end = out.position();
        try {
            int n;
            do {
                out.limit(Math.min(end, sent + CHUNK)).position(sent);
                n = channel.write(out);
                sent = out.position();
                written += n;
            } while (n > 0 && sent < end);
        } finally {
            out.limit(out.capacity()).position(end);
        }
        if (sent == end) {
            if (out.capacity() > SHRINK_ABOVE) {
                memory.add(INITIAL_BUFFER - out.capacity());
                out = ByteBuffer.allocate(INITIAL_BUFFER);
            } else {
                out.clear();
            }
            sent = 0;
        }
    }

    @Override
    public void greeting(Greeting g) {
        greeting = g;
    }

    @Override
    public void command(ZmtpCommand c) {
        command = c;
    }

    @Override
    public void message(List<Frame> frames) {
        error = "a message frame before the handshake finished";
    }

    @Override
    public void protocolError(ProtocolError e) {
        error = e.message();
    }
}
