package io.zmqtap.pcap;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * The reassembler's flows, each filed under both of its directions (sender and receiver), so that
 * a segment finds its flow, and which way it went, in one lookup.
 *
 * <p>Open addressing over two arrays (the directions' hashes and their {@link HalfStream}s), not a
 * {@code HashMap}: a lookup reads a slot of each array and the half-stream it wanted anyway, with no
 * map entry or key object between them. On a capture of hundreds of interleaved connections those
 * two objects were each a cache miss per segment. Endpoints are compared by identity first
 * ({@code EndpointCache} hands out one instance per endpoint it holds), then by value.
 *
 * <p>Usage: {@code int hash = FlowTable.hash(from, to); HalfStream h = table.get(from, to, hash);
 * table.put(flow.first); table.put(flow.second); table.flows() // in order of appearance}
 */
final class FlowTable {
    private static final int MIN_CAPACITY = 64;

    private int[] hashes = new int[MIN_CAPACITY];
    private HalfStream[] streams = new HalfStream[MIN_CAPACITY];
    private int size;

    /** The hash of the direction {@code from} → {@code to}, for {@link #get}: keyed, see {@link EndpointHash}. */
    static int hash(InetSocketAddress from, InetSocketAddress to) {
        return EndpointHash.of(from) * 31 + EndpointHash.of(to);
    }

    /** The half-stream {@code from} sends in, or null; {@code hash} is {@link #hash(InetSocketAddress, InetSocketAddress) hash(from, to)}. */
    HalfStream get(InetSocketAddress from, InetSocketAddress to, int hash) {
        HalfStream[] s = streams;
        int mask = s.length - 1;
        for (int i = slot(hash, mask); ; i = (i + 1) & mask) {
            HalfStream h = s[i];
            if (h == null) {
                return null;
            }
            // by value only, no test of the reference first: the same endpoint comes as another
            // instance only once the endpoint cache has made it again, late in a file, and a test
            // first false then made C2 compile the reassembly again. Asked only when the segment's
            // note does not answer (TcpReassembler.find), so equals costs little.
            if (hashes[i] == hash && h.sender.equals(from) && h.receiver.equals(to)) {
                return h;
            }
        }
    }

    /** Files {@code h} under its direction; that direction must not be filed already. */
    void put(HalfStream h) {
        if ((size + 1) * 2 > streams.length) {
            grow();
        }
        insert(h, hash(h.sender, h.receiver));
        h.table = this;
        size++;
    }

    /** Takes {@code h} out, if it is in. */
    void remove(HalfStream h) {
        HalfStream[] s = streams;
        int mask = s.length - 1;
        int i = slot(hash(h.sender, h.receiver), mask);
        while (s[i] != h) {
            if (s[i] == null) {
                return;
            }
            i = (i + 1) & mask;
        }
        // backward shift: the entries after it that probed past slot i move up, so no lookup stops early
        for (int j = (i + 1) & mask; s[j] != null; j = (j + 1) & mask) {
            int home = slot(hashes[j], mask);
            boolean between = i <= j ? i < home && home <= j : i < home || home <= j;
            if (!between) {
                s[i] = s[j];
                hashes[i] = hashes[j];
                i = j;
            }
        }
        s[i] = null;
        h.table = null;
        size--;
        if (s.length > MIN_CAPACITY && size * 8 < s.length) {
            resize(s.length / 2); // a burst of flows gone: its arrays go too (a million flows had left 32 MB)
        }
    }

    /** Slots a lookup of {@code from} → {@code to} reads, itself included; for tests of the hashing. */
    int probes(InetSocketAddress from, InetSocketAddress to) {
        int mask = streams.length - 1;
        int hash = hash(from, to);
        int n = 1;
        for (int i = slot(hash, mask); streams[i] != null; i = (i + 1) & mask, n++) {
            HalfStream h = streams[i];
            if (hashes[i] == hash && h.sender.equals(from) && h.receiver.equals(to)) {
                return n;
            }
        }
        return n;
    }

    /** Slots in the arrays now: for tests of growing and shrinking. */
    int capacity() {
        return streams.length;
    }

    /** Directions filed (two per flow). */
    int size() {
        return size;
    }

    void clear() {
        for (HalfStream h : streams) {
            if (h != null) {
                h.table = null;
            }
        }
        hashes = new int[MIN_CAPACITY];
        streams = new HalfStream[MIN_CAPACITY];
        size = 0;
    }

    /** Every flow in the table once, in the order flows appeared in the capture. */
    List<Flow> flows() {
        return flows(f -> true);
    }

    /**
     * The flows that {@code which} picks, in the order they appeared in the capture: only those are
     * sorted, so that a sweep that forgets a few of a hundred thousand lingering flows does not sort
     * them all (nor get the sort compiled by C2 in the middle of a read).
     */
    List<Flow> flows(Predicate<Flow> which) {
        List<Flow> list = new ArrayList<>();
        for (HalfStream h : streams) {
            if (h != null && h == h.flow.first && which.test(h.flow)) {
                list.add(h.flow);
            }
        }
        list.sort(Comparator.comparingLong(f -> f.order));
        return list;
    }

    private void grow() {
        resize(streams.length * 2);
    }

    private void resize(int capacity) {
        int[] oldHashes = hashes;
        HalfStream[] old = streams;
        hashes = new int[capacity];
        streams = new HalfStream[capacity];
        for (int i = 0; i < old.length; i++) {
            if (old[i] != null) {
                insert(old[i], oldHashes[i]);
            }
        }
    }

    private void insert(HalfStream h, int hash) {
        int mask = streams.length - 1;
        int i = slot(hash, mask);
        while (streams[i] != null) {
            i = (i + 1) & mask;
        }
        streams[i] = h;
        hashes[i] = hash;
    }

    /** Fibonacci hashing, high bits folded in: neighbouring ports land far apart, so probe runs stay short. */
    private static int slot(int hash, int mask) {
        int x = hash * 0x9E3779B9;
        return (x ^ x >>> 16) & mask;
    }
}
