package io.zmqtap.pcap;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapDumper;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;
import org.pcap4j.core.Pcaps;

/**
 * A live capture on one interface through libpcap (pcap4j): the kernel runs the BPF filter, a
 * thread of its own takes each raw packet (bytes and header, not pcap4j's packet objects), fills
 * one reused {@link CapturedPacket} and hands it to a {@link PacketHandler}, and optionally
 * writes every packet to a pcap file too.
 *
 * <p>The handler runs on the capture thread only, so it may feed a {@link TcpReassembler} (which
 * is not thread-safe); after {@link #stop()} returns true that thread has ended, and the
 * reassembler may be finished from the closing thread.
 *
 * <p>Usage:
 * <pre>{@code
 * try (LiveCapture capture = LiveCapture.open("lo", "tcp port 5555", null)) {
 *     TcpDecoder tcp = new TcpDecoder();
 *     capture.start(packet -> { TcpSegment s = tcp.decode(packet); if (s != null) reassembler.segment(s); });
 *     ... until Ctrl-C ...
 * }
 * }</pre>
 */
public final class LiveCapture implements AutoCloseable {
    /** Bytes kept of each packet: all of any packet on a usual link (64 KiB IP, plus offload). */
    public static final int SNAPLEN = 262_144;
    /** How long libpcap waits for packets before returning: how soon a stop is noticed. */
    private static final int READ_TIMEOUT_MILLIS = 10;
    /** How long {@link #close()} waits for the capture thread. */
    private static final long CLOSE_MILLIS = 2_000;
    private static final long STATS_NANOS = 1_000_000_000L;

    private final String iface;
    private final String filter;
    private final PcapHandle handle;
    private final PcapDumper dumper;
    private final int linkType;
    private volatile boolean stopping;
    private boolean closed;
    private volatile Thread thread;
    private volatile RuntimeException failure;
    /** Packets taken so far; each packet's number stands in for a file offset. */
    private long packets;
    private volatile long kernelDropped;
    private volatile long interfaceDropped;

    private LiveCapture(String iface, String filter, PcapHandle handle, PcapDumper dumper) {
        this.iface = iface;
        this.filter = filter;
        this.handle = handle;
        this.dumper = dumper;
        this.linkType = handle.getDlt().value();
    }

    /**
     * Opens {@code iface} (not promiscuous) with {@code filter} compiled and optimised, and, when
     * {@code writeTo} is not null, a pcap file every packet is written to.
     *
     * @throws LiveCaptureException without the privilege, for an unknown interface, without libpcap,
     *     for a filter libpcap rejects or a link type {@link TcpDecoder} does not read
     */
    public static LiveCapture open(String iface, String filter, Path writeTo) {
        Objects.requireNonNull(iface);
        Objects.requireNonNull(filter);
        PcapHandle handle = null;
        try {
            PcapNetworkInterface device = device(iface);
            try {
                handle = device.openLive(SNAPLEN, PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS, READ_TIMEOUT_MILLIS);
            } catch (PcapNativeException e) {
                throw LiveCaptureException.openFailed(iface, e.getMessage(), interfaces());
            }
            int dlt = handle.getDlt().value();
            if (!TcpDecoder.supports(dlt)) {
                throw new LiveCaptureException("cannot capture on " + iface + ": its link type " + dlt
                        + " is not supported (expected Ethernet, Linux cooked, loopback or raw IP)");
            }
            try {
                handle.setFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE);
            } catch (PcapNativeException e) {
                throw LiveCaptureException.badFilter(filter, e.getMessage());
            }
            PcapDumper dumper = null;
            if (writeTo != null) {
                try {
                    dumper = handle.dumpOpen(writeTo.toString());
                } catch (PcapNativeException e) {
                    throw new LiveCaptureException("cannot write " + writeTo + ": " + e.getMessage());
                }
            }
            return new LiveCapture(iface, filter, handle, dumper);
        } catch (NotOpenException e) {
            throw new IllegalStateException("the capture handle closed while opening", e);
        } catch (LinkageError e) {
            throw LiveCaptureException.noLibpcap(e); // JNA found no libpcap: UnsatisfiedLinkError, then NoClassDefFoundError
        } catch (RuntimeException e) {
            if (handle != null) {
                handle.close();
            }
            throw e;
        }
    }

    private static PcapNetworkInterface device(String iface) {
        PcapNetworkInterface device;
        try {
            device = Pcaps.getDevByName(iface);
        } catch (PcapNativeException e) {
            throw LiveCaptureException.openFailed(iface, e.getMessage(), List.of());
        }
        if (device == null) {
            throw LiveCaptureException.unknownInterface(iface, interfaces());
        }
        return device;
    }

    /** The interfaces libpcap sees, by name; empty when it cannot list them. */
    public static List<String> interfaces() {
        List<String> names = new ArrayList<>();
        try {
            for (PcapNetworkInterface d : Pcaps.findAllDevs()) {
                names.add(d.getName());
            }
        } catch (PcapNativeException e) {
            // none to offer
        }
        return names;
    }

    /** The interface captured on, e.g. {@code lo}. */
    public String interfaceName() {
        return iface;
    }

    /** The BPF filter running in the kernel. */
    public String filter() {
        return filter;
    }

    /** The interface's link type ({@link LinkType}). */
    public int linkType() {
        return linkType;
    }

    /** Starts the capture thread, handing each packet to {@code handler} on it. Once only. */
    public synchronized void start(PacketHandler handler) {
        if (thread != null) {
            throw new IllegalStateException("the capture on " + iface + " has started already");
        }
        Thread t = new Thread(() -> loop(handler), "zmqtap-capture-" + iface);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private void loop(PacketHandler handler) {
        CapturedPacket packet = new CapturedPacket();
        long nextStats = System.nanoTime() + STATS_NANOS;
        try {
            while (!stopping) {
                byte[] raw = handle.getNextRawPacket(); // null: the read timeout passed, nothing came
                if (raw != null) {
                    Timestamp ts = handle.getTimestamp();
                    Integer original = handle.getOriginalLength();
                    if (dumper != null) {
                        dumper.dumpRaw(raw, ts);
                    }
                    packets++;
                    packet.set(linkType, Math.floorDiv(ts.getTime(), 1000L), ts.getNanos(), ByteBuffer.wrap(raw),
                            original == null ? raw.length : original, packets);
                    handler.packet(packet);
                }
                long now = System.nanoTime();
                if (now - nextStats >= 0) {
                    readStats();
                    nextStats = now + STATS_NANOS;
                }
            }
            readStats();
        } catch (NotOpenException e) {
            // closed under us: the end
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /** libpcap's drop counts; read on the capture thread only. */
    private void readStats() {
        try {
            PcapStat s = handle.getStats();
            kernelDropped = s.getNumPacketsDropped();
            interfaceDropped = s.getNumPacketsDroppedByIf();
        } catch (PcapNativeException | NotOpenException | UnsupportedOperationException e) {
            // not available: stay as last read
        }
    }

    /** Waits up to {@code millis} for the capture thread to end (closed, or failed); true if it has. */
    public boolean awaitEnd(long millis) throws InterruptedException {
        Thread t = thread;
        if (t == null) {
            return true; // never started
        }
        t.join(Math.max(1, millis));
        return !t.isAlive();
    }

    /** What ended the capture thread other than {@link #close()} (the handler's exception), or null. */
    public RuntimeException failure() {
        return failure;
    }

    /**
     * The capture's counts for statistics, as libpcap reports them: {@code capture_dropped}, packets
     * the kernel dropped because they were not read fast enough; {@code interface_dropped}, those
     * the interface dropped. Read from any thread; updated about every second.
     */
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("capture_dropped", kernelDropped);
        c.put("interface_dropped", interfaceDropped);
        return c;
    }

    /**
     * Stops the capture thread (waiting at most 2 s), then closes the file written and the handle.
     *
     * @return true if the capture thread has ended; false if it is stuck in libpcap (the handle is then left open)
     */
    public synchronized boolean stop() {
        if (closed) {
            return true;
        }
        stopping = true;
        boolean ended;
        try {
            handle.breakLoop();
        } catch (NotOpenException e) {
            // closed already
        }
        try {
            ended = awaitEnd(CLOSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ended = false;
        }
        if (!ended) {
            return false;
        }
        if (dumper != null) {
            dumper.close();
        }
        handle.close();
        closed = true;
        return true;
    }

    /** {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }
}
