package io.zmqtap.tap;

import io.zmqtap.curve.CurveBridge;
import io.zmqtap.curve.CurveException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * The socket side of a decrypting tap's two CURVE handshakes for one connection, on the tap's "in"
 * thread (whose selector has a key for both sockets): reads what either peer sent, hands it to the
 * connection's {@link CurveBridge} (the protocol), and writes what the bridge says, non-blocking.
 * Holds at most a handshake command or two waiting for a socket; nothing once it is through.
 *
 * <p>Usage: {@code io.start(); ... Outcome o = io.serve(key, fromClient, buffer); if (o == Outcome.ESTABLISHED) ...}
 */
final class CurveHandshakeIo {
    /** Where the handshakes are after a turn. */
    enum Outcome {
        /** Still going (or something waits to be written). */
        WAITING,
        /** Both are through and everything was written: the relays may start. */
        ESTABLISHED,
        /** The server refused; its ERROR was written to the client: close the connection. */
        REFUSED
    }

    /** A peer closed its side during the handshake. */
    static final class Ended extends IOException {
        private static final long serialVersionUID = 1L;
        final boolean byClient;

        Ended(boolean byClient) {
            super((byClient ? "the client" : "the upstream") + " closed the connection during the CURVE handshake");
            this.byClient = byClient;
        }
    }

    final CurveBridge bridge;
    private final SocketChannel client;
    private final SocketChannel upstream;
    private ByteBuffer toClient;
    private ByteBuffer toUpstream;

    CurveHandshakeIo(CurveBridge bridge, SocketChannel client, SocketChannel upstream) {
        this.bridge = bridge;
        this.client = client;
        this.upstream = upstream;
    }

    /** Sends our greeting to the client at once (libzmq peers finish theirs only after seeing the start of ours). */
    void start() throws IOException {
        toClient = append(toClient, bridge.start());
        flush();
    }

    /** Serves a ready key of the client ({@code fromClient}) or of the upstream; {@code io} is scratch. */
    Outcome serve(SelectionKey key, boolean fromClient, ByteBuffer io) throws IOException, CurveException {
        if (key.isValid() && key.isWritable()) {
            flush();
        }
        if (key.isValid() && key.isReadable() && !over()) {
            io.clear();
            int n = (fromClient ? client : upstream).read(io);
            if (n < 0) {
                throw new Ended(fromClient);
            }
            io.flip();
            CurveBridge.Step s = fromClient ? bridge.fromClient(io) : bridge.fromUpstream(io);
            toClient = append(toClient, s.toClient());
            toUpstream = append(toUpstream, s.toUpstream());
            flush();
        }
        if (toClient != null || toUpstream != null) {
            return Outcome.WAITING;
        }
        return bridge.refused() != null ? Outcome.REFUSED : bridge.established() ? Outcome.ESTABLISHED : Outcome.WAITING;
    }

    /** What the client's key should wait for. */
    int clientOps() {
        return (over() ? 0 : SelectionKey.OP_READ) | (toClient != null ? SelectionKey.OP_WRITE : 0);
    }

    /** What the upstream's key should wait for. */
    int upstreamOps() {
        return (over() ? 0 : SelectionKey.OP_READ) | (toUpstream != null ? SelectionKey.OP_WRITE : 0);
    }

    private boolean over() {
        return bridge.established() || bridge.refused() != null;
    }

    private void flush() throws IOException {
        toClient = write(client, toClient);
        toUpstream = write(upstream, toUpstream);
    }

    private static ByteBuffer write(SocketChannel to, ByteBuffer pending) throws IOException {
        if (pending == null) {
            return null;
        }
        to.write(pending);
        return pending.hasRemaining() ? pending : null;
    }

    private static ByteBuffer append(ByteBuffer pending, ByteBuffer more) {
        if (!more.hasRemaining()) {
            return pending;
        }
        if (pending == null) {
            return more;
        }
        return ByteBuffer.allocate(pending.remaining() + more.remaining()).put(pending).put(more).flip();
    }
}
