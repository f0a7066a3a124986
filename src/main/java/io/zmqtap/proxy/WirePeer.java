package io.zmqtap.proxy;

import io.zmqtap.capture.Frame;
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
 */
final class WirePeer implements ZmtpListener {
    private static final int INITIAL_BUFFER = 64 * 1024;
    /**
     * The most one read or write asks of the channel. The JDK copies a heap buffer through a
     * temporary direct buffer as large as what is asked, so asking for all of a 64 MiB message on
     * every partial write copied it again each time.
     */
    private static final int CHUNK = 1 << 20;
    /** A buffer grown past this for a big message is replaced by a small one once it is empty. */
    private static final int SHRINK_ABOVE = 4 << 20;

    enum State { GREETING, HANDSHAKE, READY, CLOSED }

    final WireSide side;
    final SocketChannel channel;
    final String remote;
    /** Where it was dialled from, for a connection zmqtap opened; {@code null} for one it accepted. */
    final WireLoop.Dialer dialer;
    SelectionKey key;
    final long openedAt = System.nanoTime();
    State state = State.GREETING;
    ByteBuffer in = ByteBuffer.allocate(INITIAL_BUFFER); // write mode: read() appends
    ByteBuffer out = ByteBuffer.allocate(INITIAL_BUFFER); // write mode: forwarding appends
    /** How much of {@code out} from its start has been written already. */
    private int sent;
    /** Its routing id, for a frontend peer once ready. */
    byte[] routingId;
    ByteBuffer routingKey;
    /** True once the rest of our greeting and our READY are on their way (after the peer's signature). */
    boolean greetingSent;
    /** True while a message from it waits for room on the other side. */
    boolean stalled;
    /** True while it has output not yet handed to the channel this turn. */
    boolean dirty;
    /**
     * While paused: how many bytes past {@code in}'s read position are held messages already
     * scanned (commands among them were answered and taken out), so the next read scans on from there.
     */
    int heldScanned;
    /** True once it closed its side while paused with messages held: it is closed when they have gone. */
    boolean eof;
    /** Set by the decoder while a handshake frame is fed: what it understood. */
    private Greeting greeting;
    private ZmtpCommand command;
    private String error;
    private final ZmtpDecoder decoder = new ZmtpDecoder(this, 64 * 1024); // READY may carry metadata

    WirePeer(WireSide side, SocketChannel channel, WireLoop.Dialer dialer) {
        this.side = side;
        this.channel = channel;
        this.dialer = dialer;
        this.remote = describe(channel);
    }

    private static String describe(SocketChannel channel) {
        try {
            return String.valueOf(channel.getRemoteAddress()).replaceFirst("^[^/]*/", "");
        } catch (IOException e) {
            return "?";
        }
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

    /**
     * Makes room for {@code bytes} more output: first by moving what is still unsent to the front,
     * then by growing the buffer.
     */
    ByteBuffer reserveOut(long bytes) {
        if (out.remaining() < bytes && sent > 0) {
            out.limit(out.position()).position(sent);
            out.compact();
            sent = 0;
        }
        if (out.remaining() < bytes) {
            out = grow(out, out.position() + bytes);
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
            in = ByteBuffer.allocate(INITIAL_BUFFER); // a big message has gone: give its memory back
        } else if (in.position() == 0) {
            in.position(in.limit()).limit(in.capacity());
        } else {
            in.compact();
        }
    }

    /** Makes the input buffer hold at least {@code bytes} unprocessed bytes (it is in read mode). */
    void ensureInCapacity(long bytes) {
        if (in.capacity() < bytes) {
            ByteBuffer bigger = ByteBuffer.allocate(capacityFor(bytes));
            bigger.put(in);
            bigger.flip();
            in = bigger;
        }
    }

    private static ByteBuffer grow(ByteBuffer b, long needed) {
        ByteBuffer bigger = ByteBuffer.allocate(capacityFor(needed));
        b.flip();
        bigger.put(b);
        return bigger;
    }

    private static int capacityFor(long bytes) {
        long c = INITIAL_BUFFER;
        while (c < bytes) {
            c <<= 1;
        }
        return (int) Math.min(c, Integer.MAX_VALUE - 16);
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
            int written;
            do {
                out.limit(Math.min(end, sent + CHUNK)).position(sent);
                written = channel.write(out);
                sent = out.position();
            } while (written > 0 && sent < end);
        } finally {
            out.limit(out.capacity()).position(end);
        }
        if (sent == end) {
            out = out.capacity() > SHRINK_ABOVE ? ByteBuffer.allocate(INITIAL_BUFFER) : out.clear();
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
