package io.zmqtap.zmtp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a ZMTP/3.x frame boundary it can trust in one direction of a connection joined at an
 * unknown point (a capture that began after the handshake, or bytes after a gap), and says where
 * decoding can safely start. No I/O: fed the bytes as chunks, it tells a {@link Listener} where it
 * synced, then hands on every byte from there.
 *
 * <p><b>Candidates.</b> Each chunk start (a TCP segment's first byte) is a candidate frame start:
 * ZeroMQ writes whole frames, usually whole messages, per send, so segments mostly begin on a frame.
 * From each candidate a <em>chain</em> of frames is read: flags with the reserved bits clear and
 * never COMMAND with MORE; a LONG size only above 255 (libzmq and JeroMQ use the short form up to
 * 255) and at most the window; a command's body must start with the name of a command sent after
 * the handshake (PING, PONG, SUBSCRIBE, CANCEL, ERROR, MESSAGE), a PING/PONG of the size RFC 37
 * allows. A chain that breaks a rule is dropped. Chains that reach the same offset are the same
 * chain from there on and are merged.
 *
 * <p><b>Trust.</b> A chain <em>lands</em> when one of its frames ends exactly where a later chunk
 * starts (or where the stream ends). A landing counts only when the stretch since the previous one
 * holds a frame with a body: a run of zeros reads as empty frames that land on every even offset,
 * so it proves nothing. A chain is trusted once it has two counted landings, and decoding starts at
 * the <em>first</em> of them, not at the candidate: a candidate inside a frame whose body looks like
 * frames can land on the true end of that body, after which it is right, and everything before that
 * landing is the part most likely wrong. From the first landing on, the chain is supported by a
 * second, independent landing. Whether a message starts there is told by the frame before it,
 * which is in the part not trusted (the property test found such a frame claiming a message end
 * inside a real multipart message), so the decoder starts in "skip to the end of the message in
 * progress" mode: the first message shown is the first one that begins after a frame without MORE
 * read from the trusted boundary on. No message is ever shown from its middle.
 *
 * <p>What this cannot rule out is a payload that is itself a ZMTP stream whose frames line up with
 * the TCP segments; on everything else a wrong boundary needs two exact coincidences in a row.
 *
 * <p><b>Memory.</b> Bytes are held only from the earliest first-landing of a live chain (or the
 * header a chain is reading), at most {@code window} bytes (plus one slice of a large chunk): a
 * chain whose first landing falls out of the window forgets it and counts again; at most
 * {@value #MAX_CHAINS} chains are followed. Once synced nothing is held: bytes go straight on.
 *
 * <p>Usage:
 * <pre>{@code
 * FrameSync sync = new FrameSync(0, FrameSync.DEFAULT_WINDOW, new FrameSync.Listener() {
 *     public void synced(long at) { decoder = ZmtpDecoder.joinedMidStream(l, max, at, false); }
 *     public void bytes(byte[] b, int off, int len) { decoder.feed(b, off, len); }
 * });
 * sync.chunk(segment, 0, segment.length); // one call per TCP segment
 * sync.end();                              // the stream ended (a FIN): its end is a landing too
 * }</pre>
 */
public final class FrameSync {
    /** Bytes held at most while looking for a boundary. */
    public static final int DEFAULT_WINDOW = 256 * 1024;
    static final int MAX_CHAINS = 16;
    private static final int LANDINGS_TO_TRUST = 2;
    private static final int SHORT_MAX = 255;
    private static final int LONG_HEADER = 9;
    /** RFC 37: a PING's context (after its 2-byte TTL) and a PONG's are at most 16 bytes. */
    private static final int PING_CONTEXT_MAX = 16;
    private static final byte[][] COMMANDS = names("PING", "PONG", "SUBSCRIBE", "CANCEL", "ERROR", "MESSAGE");
    private static final int LONGEST_NAME = 9;

    /** Hears where decoding can start, then every byte from there. */
    public interface Listener {
        /**
         * A frame boundary is trusted: decoding starts at stream offset {@code at}, which may be
         * inside a message (start the decoder so that it skips to the next whole one).
         */
        void synced(long at);

        /** Bytes from the synced offset on, in order (the held ones first). */
        void bytes(byte[] b, int off, int len);
    }

    private enum Step { WAIT, BROKEN }

    private static final class Chain {
        final long start;
        /** Offset of the next frame's flags byte. */
        long next;
        int landings;
        /** First counted landing, where decoding would start; -1 until there is one. */
        long anchor = -1;
        /** A frame with a body since the last landing (or the start). */
        boolean sawBody;

        Chain(long start) {
            this.start = start;
            this.next = start;
        }
    }

    private final int window;
    private final int slice;
    private final Listener listener;
    private final List<Chain> chains = new ArrayList<>();
    private byte[] buf = new byte[0];
    /** buf[bufFrom] holds stream offset heldStart; bytes up to {@link #end} follow it. */
    private int bufFrom;
    private long heldStart;
    private long end;
    private long syncedAt = -1;

    /**
     * @param offset the stream offset of the first byte fed (0 when joined, the offset after a gap)
     * @param window bytes held at most while looking (at least 1 KiB)
     */
    public FrameSync(long offset, int window, Listener listener) {
        if (window < 1024) {
            throw new IllegalArgumentException("window " + window + " < 1024");
        }
        this.window = window;
        this.slice = window / 4;
        this.listener = listener;
        this.heldStart = offset;
        this.end = offset;
    }

    /** One chunk whose first byte is a candidate frame start (a TCP segment's payload, say). */
    public void chunk(byte[] b, int off, int len) {
        if (off < 0 || len < 0 || off > b.length - len) {
            throw new IndexOutOfBoundsException("offset " + off + ", length " + len + " outside an array of " + b.length);
        }
        if (synced()) {
            end += len;
            listener.bytes(b, off, len);
            return;
        }
        if (len == 0) {
            return;
        }
        land(end, true);
        if (trust()) {
            chunk(b, off, len);
            return;
        }
        // A large chunk goes in slices, so that no more than a slice past the window is ever held.
        for (int at = off; at < off + len; at += slice) {
            int n = Math.min(slice, off + len - at);
            if (synced()) {
                end += n;
                listener.bytes(b, at, n);
                continue;
            }
            append(b, at, n);
            walkAll();
            trim();
        }
    }

    /** The stream ended here (its FIN): a chain whose frame ends exactly here lands. */
    public void end() {
        if (!synced()) {
            land(end, false);
            trust();
        }
    }

    /** True once decoding can start; from then on every byte is handed on. */
    public boolean synced() {
        return syncedAt >= 0;
    }

    /** The stream offset where decoding starts, or -1 before {@link #synced()}. */
    public long syncedAt() {
        return syncedAt;
    }

    /** The stream offset after the last byte fed. */
    public long offset() {
        return end;
    }

    /** Bytes held now (bounded by the window plus a slice). */
    public int held() {
        return (int) (end - heldStart);
    }

    /** Chains whose next frame starts at {@code at} land there; without one, a chunk start there becomes a chain. */
    private void land(long at, boolean chunkStart) {
        boolean landed = false;
        for (Chain c : chains) {
            if (c.next == at) {
                landed = true;
                if (c.sawBody) {
                    c.landings++;
                    if (c.anchor < 0) {
                        c.anchor = at;
                    }
                }
                c.sawBody = false;
            }
        }
        if (landed) {
            merge();
        } else if (chunkStart) {
            if (chains.size() >= MAX_CHAINS && !dropOldestWithoutAnchor()) {
                return;
            }
            chains.add(new Chain(at));
        }
    }

    private boolean dropOldestWithoutAnchor() {
        for (int i = 0; i < chains.size(); i++) {
            if (chains.get(i).anchor < 0) {
                chains.remove(i);
                return true;
            }
        }
        return false;
    }

    /** Chains at the same offset read the same frames from there: keep the one with the most evidence. */
    private void merge() {
        for (int i = 0; i < chains.size(); i++) {
            for (int j = chains.size() - 1; j > i; j--) {
                Chain a = chains.get(i);
                Chain b = chains.get(j);
                if (a.next != b.next) {
                    continue;
                }
                boolean keepB = b.landings > a.landings;
                if (keepB) {
                    chains.set(i, b);
                }
                chains.remove(j);
            }
        }
    }

    /** Syncs on a trusted chain, if any: hands on the held bytes from its first landing. */
    private boolean trust() {
        Chain best = null;
        for (Chain c : chains) {
            if (c.landings >= LANDINGS_TO_TRUST && (best == null || c.anchor < best.anchor)) {
                best = c;
            }
        }
        if (best == null) {
            return false;
        }
        syncedAt = best.anchor;
        chains.clear();
        listener.synced(best.anchor);
        int from = bufFrom + (int) (best.anchor - heldStart);
        int n = (int) (end - best.anchor);
        byte[] held = buf;
        buf = new byte[0];
        bufFrom = 0;
        heldStart = end;
        if (n > 0) {
            listener.bytes(held, from, n);
        }
        return true;
    }

    private void append(byte[] b, int off, int len) {
        int have = (int) (end - heldStart);
        if (bufFrom + have + len > buf.length) {
            byte[] to = have + len > buf.length ? new byte[Math.max(have + len, Math.min(2 * buf.length, window + slice))] : buf;
            System.arraycopy(buf, bufFrom, to, 0, have);
            buf = to;
            bufFrom = 0;
        }
        System.arraycopy(b, off, buf, bufFrom + have, len);
        end += len;
    }

    private void walkAll() {
        chains.removeIf(c -> walk(c) == Step.BROKEN);
        merge();
    }

    /** Drops held bytes no chain needs; a first landing that falls out of the window is forgotten. */
    private void trim() {
        long need = needed();
        if (end - need > window) {
            for (Chain c : chains) {
                if (c.anchor >= 0 && end - c.anchor > window) {
                    c.anchor = -1;
                    c.landings = 0;
                }
            }
            need = needed();
        }
        bufFrom += (int) (need - heldStart);
        heldStart = need;
    }

    private long needed() {
        long need = end;
        for (Chain c : chains) {
            if (c.anchor >= 0) {
                need = Math.min(need, c.anchor);
            }
            if (c.next < end) {
                need = Math.min(need, c.next);
            }
        }
        return need;
    }

    private int at(long offset) {
        return buf[bufFrom + (int) (offset - heldStart)] & 0xff;
    }

    /** Reads the chain's frames as far as the held bytes go. */
    private Step walk(Chain c) {
        for (;;) {
            long p = c.next;
            if (p + 2 > end) {
                return Step.WAIT;
            }
            int flags = at(p);
            if ((flags & ~ZmtpProtocol.V3_FLAGS) != 0) {
                return Step.BROKEN;
            }
            boolean command = (flags & ZmtpProtocol.FLAG_COMMAND) != 0;
            if (command && (flags & ZmtpProtocol.FLAG_MORE) != 0) {
                return Step.BROKEN;
            }
            long size;
            int header;
            if ((flags & ZmtpProtocol.FLAG_LONG) != 0) {
                if (p + LONG_HEADER > end) {
                    return Step.WAIT;
                }
                size = 0;
                for (int i = 1; i < LONG_HEADER; i++) {
                    size = size << 8 | at(p + i);
                }
                if (size <= SHORT_MAX || size > window) { // also a negative (unsigned > 2^63) size
                    return Step.BROKEN;
                }
                header = LONG_HEADER;
            } else {
                size = at(p + 1);
                header = 2;
            }
            if (command) {
                Step s = checkCommand(p + header, size);
                if (s != null) {
                    return s;
                }
            }
            if (size > 0) {
                c.sawBody = true;
            }
            c.next = p + header + size;
        }
    }

    /** Null when the command body at {@code body} starts with a known name; else WAIT or BROKEN. */
    private Step checkCommand(long body, long size) {
        if (size < 1) {
            return Step.BROKEN;
        }
        if (body + 1 > end) {
            return Step.WAIT;
        }
        int nameLength = at(body);
        if (nameLength < 1 || nameLength > LONGEST_NAME || nameLength > size - 1) {
            return Step.BROKEN;
        }
        if (body + 1 + nameLength > end) {
            return Step.WAIT;
        }
        for (byte[] name : COMMANDS) {
            if (name.length == nameLength && sameBytes(body + 1, name)) {
                long data = size - 1 - nameLength;
                if (name[1] == 'I' && name[0] == 'P') { // PING: TTL (2) and a context
                    return data >= 2 && data <= 2 + PING_CONTEXT_MAX ? null : Step.BROKEN;
                }
                if (name[1] == 'O' && name[0] == 'P') { // PONG: a context
                    return data <= PING_CONTEXT_MAX ? null : Step.BROKEN;
                }
                return null;
            }
        }
        return Step.BROKEN;
    }

    private boolean sameBytes(long at, byte[] name) {
        for (int i = 0; i < name.length; i++) {
            if (at(at + i) != name[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[][] names(String... names) {
        byte[][] b = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            b[i] = names[i].getBytes(StandardCharsets.US_ASCII);
        }
        return b;
    }
}
