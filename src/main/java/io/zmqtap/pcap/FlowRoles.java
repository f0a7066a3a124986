package io.zmqtap.pcap;

import java.util.BitSet;

/**
 * The two guesses the reassembler makes from the first bytes of a flow: is it ZeroMQ, and, when
 * its SYN was not captured, which end is the server.
 *
 * <pre>
 *   ZMTP/3 greeting (64 bytes), what is read here:
 *   0     1..8      9     10     11     12 .. 31            32          33 .. 63
 *   0xFF  padding   0x7F  major  minor  mechanism, zero     as-server   filler
 *                                       padded ("NULL",     (1: the
 *                                       "PLAIN", "CURVE")   server)
 * </pre>
 */
final class FlowRoles {
    /** Bytes of a greeting read here: up to the as-server byte. */
    static final int PREFIX = 33;
    /** What a direction's greeting says about its sender ({@link #asServer}): not yet, nothing, client, server. */
    static final int STILL_READING = -2;
    static final int NOTHING = -1;
    static final int CLIENT = 0;
    static final int SERVER = 1;

    /** What the first bytes of one direction say. */
    enum Signature {
        /** Nothing seen yet. */
        UNKNOWN,
        /** Fewer than 10 bytes, the first 0xFF: could still be a greeting. */
        MAYBE,
        /** 0xFF, 8 bytes, 0x7F: a ZMTP/2.0 or 3.x greeting. */
        GREETING,
        /** Anything else: not the start of a ZMTP stream. */
        NOT_ZMTP
    }

    private FlowRoles() {}

    /** Reads the signature from the first {@code n} bytes of a direction. */
    static Signature signature(byte[] b, int n) {
        if (n == 0) {
            return Signature.UNKNOWN;
        }
        if ((b[0] & 0xff) != 0xff) {
            return Signature.NOT_ZMTP;
        }
        if (n < 10) {
            return Signature.MAYBE;
        }
        return b[9] == 0x7f ? Signature.GREETING : Signature.NOT_ZMTP;
    }

    /**
     * The as-server byte of a ZMTP/3 greeting, which only PLAIN and CURVE set (the server's is 1):
     * {@link #SERVER} or {@link #CLIENT}; {@link #NOTHING} for a NULL greeting, an older version or
     * no greeting; {@link #STILL_READING} while fewer than {@link #PREFIX} bytes of a greeting are in.
     */
    static int asServer(byte[] b, int n) {
        Signature s = signature(b, n);
        if (s == Signature.UNKNOWN || s == Signature.MAYBE || s == Signature.GREETING && n < PREFIX) {
            return s == Signature.UNKNOWN ? NOTHING : STILL_READING;
        }
        if (s != Signature.GREETING || b[10] < 3 || (b[12] == 'N' && b[13] == 'U' && b[14] == 'L' && b[15] == 'L' && b[16] == 0)) {
            return NOTHING;
        }
        return b[32] == 1 ? SERVER : CLIENT;
    }

    /** Which end is the server, and why (ending the notice "joined mid-stream …, by {@code why}"). */
    record Choice(boolean firstIsServer, String why) {}

    /**
     * Which end of a flow whose SYN was not captured is the server; the other is the client.
     * "First" is the end that sent the first segment the capture has of the flow. In order:
     * <ol>
     *   <li>the server port the user gave ({@code --server-port}), when exactly one end has it;
     *   <li>a ZeroMQ port the user gave ({@code --port}), when exactly one end has it;
     *   <li>a PLAIN or CURVE greeting, whose as-server byte names the server (read from whichever
     *       end's greeting is in first);
     *   <li>the lower port (servers bind well-known ports, clients get ephemeral ones); with equal
     *       ports, the end the first segment went to.
     * </ol>
     * Returns null to wait while a greeting's as-server byte is still to come, unless {@code force}.
     *
     * @param serverPort the server port the user gave, or 0
     * @param asServerFirst what the first end's greeting says ({@link #asServer})
     */
    static Choice server(int portFirst, int portSecond, int serverPort, BitSet zmqPorts,
            int asServerFirst, int asServerSecond, boolean force) {
        if (serverPort != 0 && (portFirst == serverPort) != (portSecond == serverPort)) {
            return new Choice(portFirst == serverPort, "the server port given");
        }
        if (zmqPorts.get(portFirst) != zmqPorts.get(portSecond)) {
            return new Choice(zmqPorts.get(portFirst), "the ZeroMQ port given");
        }
        if (asServerFirst >= 0) {
            return new Choice(asServerFirst == SERVER, "its greeting's as-server flag");
        }
        if (asServerSecond >= 0) {
            return new Choice(asServerSecond == CLIENT, "its greeting's as-server flag");
        }
        if (!force && (asServerFirst == STILL_READING || asServerSecond == STILL_READING)) {
            return null;
        }
        return new Choice(portFirst < portSecond, "the lower port");
    }
}
