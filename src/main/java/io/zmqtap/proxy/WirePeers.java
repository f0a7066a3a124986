package io.zmqtap.proxy;

import io.zmqtap.endpoint.Closing;
import io.zmqtap.endpoint.Notices;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The peers of one {@link WireLoop} and what is owed to them: output to write at the end of the
 * turn, who waits for room, what each may be asked for (read, write), and closing them, one by one
 * or over the memory budget. The traffic handlers ({@link WireRouter}, {@link CapturePublisher})
 * work through this; only the loop's thread calls it.
 *
 * <p>Usage: {@code peers.markDirty(server); ... peers.flushDirty(); if (peers.takeRoom()) peers.retryStalled(loop::process);}
 */
final class WirePeers {
    private static final long LINGER_NANOS = 1_000_000_000L;
    /** Capture output waits at most this long to be written with more (see {@link #markLater}). */
    static final long LATER_NANOS = 1_000_000L;
    /** ... or until this much has gathered. */
    static final int LATER_BYTES = 64 * 1024;

    private final WireMemory memory;
    private final Notices notices;
    private final List<WirePeer> all = new ArrayList<>();
    private final ArrayDeque<WirePeer> dirty = new ArrayDeque<>();
    private final List<WirePeer> later = new ArrayList<>();
    private long laterSince;
    private final List<WirePeer> stalled = new ArrayList<>();
    private int accepted;
    private boolean roomAppeared;
    private boolean stopping;

    WirePeers(WireMemory memory, Notices notices) {
        this.memory = memory;
        this.notices = notices;
    }

    void add(WirePeer p) {
        all.add(p);
        if (p.dialer == null) {
            accepted++;
        }
    }

    /** Connections open now (accepted and dialled, handshaking or ready). */
    int connections() {
        return all.size();
    }

    /** Connections accepted and open now (what {@code --max-connections} limits). */
    int accepted() {
        return accepted;
    }

    /** A copy of the peers, to go through while some may close. */
    List<WirePeer> snapshot() {
        return List.copyOf(all);
    }

    /** True once the loop is on its way out: connections closing then are no news. */
    boolean stopping() {
        return stopping;
    }

    void stop() {
        stopping = true;
    }

    // ---- room ----

    /** {@code p}'s message waits for room elsewhere; it is not read until {@link #retryStalled}. */
    void stall(WirePeer p) {
        if (!p.stalled) {
            p.stalled = true;
            stalled.add(p);
        }
    }

    /** Room appeared somewhere (output drained, a server joined, a reply came back): retry who waited. */
    void noteRoom() {
        roomAppeared = true;
    }

    /** True (once) when room appeared since the last call. */
    boolean takeRoom() {
        boolean was = roomAppeared;
        roomAppeared = false;
        return was;
    }

    /** Gives every peer that waited for room another go with {@code process}. */
    void retryStalled(Consumer<WirePeer> process) {
        if (stalled.isEmpty()) {
            return;
        }
        List<WirePeer> waiting = List.copyOf(stalled);
        stalled.clear();
        for (WirePeer p : waiting) {
            p.stalled = false;
            if (p.state != WirePeer.State.CLOSED) {
                process.accept(p);
            }
        }
    }

    // ---- output and interest ----

    /** {@code p} has new output to write at the end of this turn. */
    void markDirty(WirePeer p) {
        if (!p.dirty) {
            p.dirty = true;
            dirty.add(p);
        }
    }

    /**
     * {@code p} (a capture subscriber) has new output that may wait a little: it is written once
     * {@link #LATER_BYTES} have gathered, {@link #LATER_NANOS} have passed, or the loop is about to
     * sleep. A sniffer needs no microsecond latency, and one write of many captures costs the
     * queue one system call instead of one per turn, and the sniffer one wake-up and one read
     * (measured: the sniffer's process competes with the traffic for the same CPUs).
     */
    void markLater(WirePeer p) {
        if (p.dirty || p.later) {
            return;
        }
        if (p.unsent() >= LATER_BYTES) {
            markDirty(p);
            return;
        }
        if (later.isEmpty()) {
            laterSince = System.nanoTime();
        }
        p.later = true;
        later.add(p);
    }

    /** Writes the output that waited (see {@link #markLater}) if it waited long enough, or at once with {@code now}. */
    void flushLater(boolean now) {
        if (later.isEmpty() || !now && System.nanoTime() - laterSince < LATER_NANOS) {
            return;
        }
        for (WirePeer p : later) {
            if (p.later && p.state != WirePeer.State.CLOSED) {
                flush(p);
            }
        }
        later.clear();
    }

    void flushDirty() {
        WirePeer p;
        while ((p = dirty.poll()) != null) {
            p.dirty = false;
            if (p.state != WirePeer.State.CLOSED) {
                flush(p);
            }
        }
    }

    void flush(WirePeer p) {
        p.later = false;
        boolean wasFull = p.unsent() >= WireRouter.ROOM;
        try {
            p.flush();
        } catch (IOException e) {
            close(p, null);
            return;
        }
        if (wasFull && p.unsent() < WireRouter.ROOM) {
            roomAppeared = true;
        }
        updateInterest(p);
    }

    /** Looks again at whether {@code side}'s peers may be read (their traffic's hold changed). */
    void refreshReading(WireSide side) {
        for (WirePeer p : all) {
            if (p.side == side) {
                updateInterest(p);
            }
        }
    }

    /** What the selector should tell about {@code p}: readable while it may send, writable while output waits. */
    void updateInterest(WirePeer p) {
        if (p.state == WirePeer.State.CLOSED || p.key == null || !p.key.isValid()) { // no key: a peer without a channel (tests)
            return;
        }
        // Paused, it still reads while the buffer has room (commands are answered, messages held);
        // a stalled peer is not read: that is what slows its sender.
        boolean ready = p.state == WirePeer.State.READY;
        boolean reading = !p.eof && (!ready || !p.stalled && !p.side.traffic.holdsReading(p));
        // output waiting to be written later asks for no OP_WRITE: the socket is writable, and the
        // selector would wake the loop at once to write it
        int ops = (reading && p.in.hasRemaining() ? SelectionKey.OP_READ : 0)
                | (p.hasOutput() && !p.later ? SelectionKey.OP_WRITE : 0);
        if (p.key.interestOps() != ops) {
            p.key.interestOps(ops);
        }
    }

    // ---- closing ----

    /**
     * Over the memory budget: first every empty buffer gives its grown memory back; if that is not
     * enough, the connections holding the most are dropped until the rest fits.
     */
    void shed() {
        for (WirePeer p : all) {
            p.trim();
        }
        if (!memory.over()) {
            return;
        }
        List<WirePeer> heaviest = new ArrayList<>(all);
        heaviest.sort(Comparator.comparingLong(WirePeer::held).reversed());
        for (WirePeer p : heaviest) {
            if (!memory.over()) {
                break;
            }
            close(p, "it held " + mebibytes(p.held()) + " when all connections' buffers passed the "
                    + mebibytes(memory.limit()) + " memory budget (--max-memory)",
                    "the memory budget (--max-memory) ran out");
        }
    }

    /** Closes a connection; {@code reason} names a protocol problem or a limit, {@code null} an ordinary close. */
    void close(WirePeer p, String reason) {
        // "like this": the same reason with its numbers (sizes, counts) left out; hex bytes stay
        close(p, reason, reason == null ? null : reason.replaceAll("\\b[0-9]+\\b", "N"));
    }

    private void close(WirePeer p, String reason, String kind) {
        if (p.state == WirePeer.State.CLOSED) {
            return;
        }
        WirePeer.State was = p.state;
        p.state = WirePeer.State.CLOSED;
        if (p.key != null) {
            p.key.cancel();
        }
        Closing.quietly(p.channel);
        all.remove(p);
        if (p.dialer == null) {
            accepted--;
        }
        stalled.remove(p);
        if (!stalled.isEmpty()) {
            // Someone may have waited for this peer: a server for room at this client, or a client
            // for room at this server. Without a retry a server stalled on a client that then left
            // was never read again, and every other client's replies stopped behind it.
            roomAppeared = true;
        }
        if (was == WirePeer.State.READY) {
            p.side.traffic.left(p);
        }
        p.release();
        if (p.dialer != null) {
            p.dialer.peer = null;
            p.dialer.retryLater();
        }
        if (reason != null) {
            String side = p.side.role + ": dropped the connection " + (p.dialer != null ? "to " : "from ");
            notices.report(p.side.role + ": dropped connections (" + kind + ")", side + p.remote + ": " + reason);
        }
    }

    /** Gives unsent output up to a second to leave, as ZeroMQ's linger does. */
    void linger(Selector selector) {
        long deadline = System.nanoTime() + LINGER_NANOS;
        try {
            // only pending writes may wake the select below: unread input would make it spin
            for (SelectionKey k : selector.keys()) {
                if (k.isValid()) {
                    k.interestOps(k.attachment() instanceof WirePeer p && p.hasOutput() ? SelectionKey.OP_WRITE : 0);
                }
            }
            while (System.nanoTime() - deadline < 0) {
                boolean pending = false;
                for (WirePeer p : List.copyOf(all)) {
                    if (p.state == WirePeer.State.READY && p.hasOutput()) {
                        try {
                            p.flush(); // not flush(p): that would ask for input again
                        } catch (IOException e) {
                            close(p, null);
                            continue;
                        }
                        pending |= p.hasOutput();
                        p.key.interestOps(p.hasOutput() ? SelectionKey.OP_WRITE : 0);
                    }
                }
                if (!pending) {
                    return;
                }
                selector.select(10);
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            // closing anyway
        }
    }

    void closeAll() {
        for (WirePeer p : List.copyOf(all)) {
            close(p, null);
        }
    }

    static String mebibytes(long bytes) {
        return bytes >= 10L << 20 ? (bytes >> 20) + " MiB" : String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

}
