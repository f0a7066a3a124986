package io.zmqtap.pcap;

import io.zmqtap.dissect.ConnectionDissector;
import io.zmqtap.dissect.Dissector;
import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.NoticeEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * TCP reassembly for one capture: takes its {@link TcpSegment}s in capture order, tracks every TCP
 * connection in them (both directions, by addresses and ports, IPv4 and IPv6, any number at once)
 * and hands each ZeroMQ connection's two byte streams, in order, to a {@link ConnectionDissector},
 * in contiguous chunks carrying the time of the segment that completed them. No I/O, no clock, one
 * thread.
 *
 * <p>Usage (a capture file):
 * <pre>{@code
 * Dissector dissector = new Dissector(pipeline::offer);
 * TcpReassembler reassembler = new TcpReassembler("capture.pcap", dissector, pipeline::offer,
 *         TcpReassembler.Options.defaults().withServerPort(5555));
 * for (TcpSegment s : reader) {
 *     reassembler.segment(s);
 * }
 * reassembler.finish();                      // closes every connection still open, at the last packet's time
 * reassembler.counters().counters();          // {segments=…, bytes=…, gaps=…, …}
 * }</pre>
 *
 * <p><b>Which flows are ZeroMQ.</b> A flow is decoded when one of its ports is one the user gave
 * ({@link Options#zeromqPorts}, {@link Options#serverPort}), or when the first bytes either end
 * sends start with a ZMTP greeting's signature (0xFF, 8 bytes, 0x7F), on any port. Any other flow
 * is ignored: its first segment's bytes are read, then each segment costs a lookup and a flag test
 * (counted as {@code ignored_flows}, and summed up in one notice at {@link #finish}: "700 TCP
 * connections were not decoded: 400 of them started before the capture (no SYN, no greeting) on
 * ports 6001 (58), … — give --port PORT to decode a ZeroMQ port joined mid-stream; 300 others are
 * not ZeroMQ (their first bytes are no ZMTP greeting)"). Ids {@code c1}, {@code c2}, … go to ZeroMQ flows in the order
 * they are recognised (their first bytes, or their SYN when a port says so).
 *
 * <p><b>Who is the client.</b> The SYN's sender (a SYN+ACK's receiver). Without a SYN (the
 * capture started mid-connection), in this order (see {@code FlowRoles.server}): the server port
 * given, a ZeroMQ port given, a PLAIN/CURVE greeting's as-server flag, else the lower port. Such
 * flows are announced by a {@link NoticeEvent} ({@code INFO}, "joined mid-stream (no SYN captured):
 * 10.0.0.7:53122 taken as the client and 10.0.0.9:5555 as the server, by the lower port") to
 * {@code notices} just before the connection's first event. Their bytes go to the dissector like any
 * other's, from the first byte captured.
 *
 * <p><b>Order, retransmissions, holes</b> (see {@code HalfStream}): in-order bytes go on at once,
 * from the segment's own buffer; bytes already passed on are dropped; segments ahead of a hole are
 * copied and held (the first copy of overlapping bytes is kept) within {@link Options#maxHeldPerDirection}
 * and {@link Options#maxHeldTotal}. A hole is given up on, and reported once as a gap
 * ({@link ConnectionDissector#clientGap}: that direction resumes only at a trusted frame boundary, with a notice, never wrong
 * output), when the held bytes would pass a bound (past the bound over all flows, the directions
 * holding the most give up first), when the other end acknowledges past it (the
 * peer got bytes the capture did not: the file is taken to be in the order one vantage point saw),
 * when a segment was cut by the snap length, or when the flow ends.
 *
 * <p><b>Ends.</b> FIN ends a direction once all its bytes are through; a flow with both directions
 * ended is closed, as is one reset (RST). Closed flows linger {@link #LINGER} of capture time to
 * absorb late ACKs and retransmissions; a new SYN on their ports starts a new flow (a new id).
 * {@link #finish} closes every open flow, holes reported first. Flows that are not ZeroMQ (or never
 * showed enough to tell) are forgotten after {@link #IDLE} without a segment, so memory follows the
 * open ZeroMQ connections, not the file's size.
 */
public final class TcpReassembler {
    /** How long a closed flow is kept, in capture time, to absorb its late segments. */
    public static final Duration LINGER = Duration.ofMinutes(2);
    /** How long a flow that is not ZeroMQ, or not known to be, is kept without a segment. */
    public static final Duration IDLE = Duration.ofMinutes(10);
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

    final String source;
    final Dissector dissector;
    final Consumer<? super CaptureEvent> notices;
    final int serverPort;
    final BitSet zeromqPorts = new BitSet(65536);
    final Tally tally;
    /** The flows not decoded, for the notice at {@link #finish}. */
    IgnoredFlows ignored = new IgnoredFlows();
    /** Where a pending flow's first bytes are read, shared: one thread. */
    final byte[] scratch = new byte[FlowRoles.PREFIX];
    /** Every flow under both of its directions; closed ones move to {@link #lingering}. */
    private final FlowTable flows = new FlowTable();
    /**
     * Closed flows while they linger, asked only when {@link #flows} has no answer. A file of short
     * connections has a hundred times more lingering than open ones: in one table, every segment's
     * lookup would go through a table too large for the CPU's caches.
     */
    private final FlowTable lingering = new FlowTable();
    private Instant nextSweep;
    /** The time of the last segment taken, where {@link #finish()} ends the capture. */
    private Instant lastTime = Instant.EPOCH;

    /**
     * What the reassembler is told about the capture.
     *
     * @param serverPort the port of the server when flows may have started before the capture ({@code --server-port}), or 0
     * @param zeromqPorts ports whose flows are ZeroMQ even without a greeting seen ({@code --port}); when exactly one end of a flow has one, it is the server
     * @param maxHeldPerDirection bytes held ahead of a hole in one direction before the hole is given up on
     * @param maxHeldTotal bytes held over all flows; past it the directions holding the most give their holes up first
     */
    public record Options(int serverPort, Set<Integer> zeromqPorts, long maxHeldPerDirection, long maxHeldTotal) {
        public Options {
            if (serverPort < 0 || serverPort > 65535) {
                throw new IllegalArgumentException("server port " + serverPort + " is not between 0 and 65535");
            }
            zeromqPorts = Set.copyOf(zeromqPorts);
            for (int p : zeromqPorts) {
                if (p < 1 || p > 65535) {
                    throw new IllegalArgumentException("ZeroMQ port " + p + " is not between 1 and 65535");
                }
            }
            if (maxHeldPerDirection < 0 || maxHeldTotal < 0) {
                throw new IllegalArgumentException("held byte bounds must be >= 0, got " + maxHeldPerDirection + " and " + maxHeldTotal);
            }
        }

        /**
         * No ports known; 64 MiB held in all, or a quarter of the heap when that is less (a bound as
         * large as the heap is no bound: {@code -Xmx64m} ran out of memory first), and 4 MiB per
         * direction, or the total when that is less.
         */
        public static Options defaults() {
            long total = Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 4);
            return new Options(0, Set.of(), Math.min(4L << 20, total), total);
        }

        public Options withServerPort(int port) {
            return new Options(port, zeromqPorts, maxHeldPerDirection, maxHeldTotal);
        }

        public Options withZeromqPorts(Set<Integer> ports) {
            return new Options(serverPort, ports, maxHeldPerDirection, maxHeldTotal);
        }

        public Options withMaxHeld(long perDirection, long total) {
            return new Options(serverPort, zeromqPorts, perDirection, total);
        }
    }

    /**
     * @param source the capture's name, the {@code source} of its events, e.g. the file name
     * @param dissector where ZeroMQ connections are decoded
     * @param notices where the reassembler's own notices go ("joined mid-stream", the flows not decoded): the dissector's event consumer
     * @param options ports and memory bounds
     */
    public TcpReassembler(String source, Dissector dissector, Consumer<? super CaptureEvent> notices, Options options) {
        this.source = Objects.requireNonNull(source);
        this.dissector = Objects.requireNonNull(dissector);
        this.notices = Objects.requireNonNull(notices);
        this.serverPort = options.serverPort();
        options.zeromqPorts().forEach(zeromqPorts::set);
        this.tally = new Tally(options.maxHeldPerDirection(), options.maxHeldTotal());
    }

    /**
     * Takes the next segment of the capture. Its payload is read during the call only (in-order
     * bytes are decoded straight from it; its position may move); bytes held are copied.
     */
    public void segment(TcpSegment s) {
        Instant time = s.time();
        lastTime = time;
        tally.segments++;
        tally.bytes += s.payloadLength();
        if (nextSweep == null) {
            nextSweep = time.plus(SWEEP_EVERY);
        } else if (time.isAfter(nextSweep)) {
            sweep(time);
            nextSweep = time.plus(SWEEP_EVERY);
        }
        HalfStream h = find(s);
        boolean newConnection = s.syn() && !s.ackFlag();
        if (h != null && newConnection && (h.flow.closed() || !h.startedBySyn(s.seq()))) {
            h.flow.end(time); // its ports are used again: whatever the old flow still had is over
            forget(h.flow);
            h = null;
        } else if (h != null && h.flow.closed()) {
            h.flow.lastSeen = time;
            return; // a late ACK or retransmission
        }
        if (h == null) {
            if (s.rst()) {
                return; // nothing to reset
            }
            Flow flow = new Flow(this, s, tally.flows++);
            flows.put(flow.first);
            flows.put(flow.second);
            h = flow.first;
            if (s.pair() != null) {
                s.pair().stream = h;
            }
        }
        Flow flow = h.flow;
        flow.segment(h, s);
        if (flow.closed() && !flow.lingering) {
            flow.lingering = true;
            flows.remove(flow.first);
            flows.remove(flow.second);
            lingering.put(flow.first);
            lingering.put(flow.second);
        }
    }

    /**
     * The half-stream {@code s}'s sender sends in, open or lingering, or null. The decoder's note
     * ({@link EndpointPair#stream}) answers while that half-stream is still among the open flows;
     * otherwise the tables are asked, and an open flow's half-stream is noted for the next segment.
     */
    private HalfStream find(TcpSegment s) {
        EndpointPair pair = s.pair();
        if (pair != null) {
            HalfStream noted = pair.stream;
            if (noted != null && noted.filedIn(flows)) {
                return noted;
            }
        }
        int hash = pair != null ? pair.hash : FlowTable.hash(s.source(), s.destination());
        HalfStream h = flows.get(s.source(), s.destination(), hash);
        if (h != null) {
            if (pair != null) {
                pair.stream = h;
            }
            return h;
        }
        return lingering.size() > 0 ? lingering.get(s.source(), s.destination(), hash) : null;
    }

    /**
     * The capture is over at its last segment's time: every open flow is closed, holes reported as
     * gaps first; then one notice sums up the flows that were not decoded (see {@link IgnoredFlows}).
     */
    public void finish() {
        finish(lastTime);
    }

    /**
     * The capture is over at {@code time}: as {@link #finish()}, at a time of the caller's choosing
     * (a live capture stopped later than its last packet).
     */
    public void finish(Instant time) {
        for (Flow f : flows.flows()) { // in order of appearance, as their last events come out
            f.end(time);
        }
        flows.clear();
        lingering.clear();
        String summary = ignored.summary();
        if (summary != null) {
            notices.accept(new NoticeEvent(time, source, null,
                    ignored.anyMidStream() ? NoticeEvent.Level.WARNING : NoticeEvent.Level.INFO, summary));
        }
        ignored = new IgnoredFlows(); // told once
    }

    /** What was seen so far. */
    public ReassemblyCounters counters() {
        return tally.snapshot();
    }

    /** Flows tracked now (open, lingering after their close, or not yet forgotten). */
    int trackedFlows() {
        return (flows.size() + lingering.size()) / 2;
    }

    /** Flows that still hold a dissector (open ZeroMQ connections); for tests. */
    int dissectingFlows() {
        int n = 0;
        for (Flow f : flows.flows()) {
            n += f.dissecting() ? 1 : 0;
        }
        return n;
    }

    boolean zeromqPort(int port) {
        return port == serverPort || zeromqPorts.get(port);
    }

    private void forget(Flow flow) {
        FlowTable in = flow.lingering ? lingering : flows;
        in.remove(flow.first);
        in.remove(flow.second);
    }

    /** Forgets closed flows after {@link #LINGER}, and flows not (known to be) ZeroMQ after {@link #IDLE}. */
    private void sweep(Instant now) {
        sweep(flows, now);
        sweep(lingering, now);
    }

    private static void sweep(FlowTable table, Instant now) {
        Instant closedBefore = now.minus(LINGER);
        Instant idleBefore = now.minus(IDLE);
        for (Flow f : table.flows(f -> f.closed() ? f.lastSeen.isBefore(closedBefore)
                : !f.zeromq() && f.lastSeen.isBefore(idleBefore))) {
            f.end(f.lastSeen); // a pending flow is decided on what it showed
            table.remove(f.first);
            table.remove(f.second);
        }
    }
}
