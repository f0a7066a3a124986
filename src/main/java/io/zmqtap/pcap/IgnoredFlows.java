package io.zmqtap.pcap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The TCP flows a reassembler did not decode, summed up for one notice at the end of the capture
 * (a capture can hold 100,000 of them: one notice each would drown the rest). Two kinds are told
 * apart: flows that started before the capture (no SYN, so no greeting either: a ZeroMQ port
 * joined mid-stream needs {@code --port}), by port, and flows that began with bytes that are no
 * ZMTP greeting (or none at all): not ZeroMQ. Memory is bounded: at most {@link #PORTS_TRACKED}
 * ports are counted; later ports only add to the count of flows.
 *
 * <p>Usage:
 * <pre>{@code
 * IgnoredFlows ignored = new IgnoredFlows();
 * ignored.add(true, 40312, 5555);     // no SYN: counted under port 5555, the lower one
 * ignored.add(false, 40313, 80);      // first bytes no greeting
 * ignored.summary();
 * // "2 TCP connections were not decoded: 1 of them started before the capture (no SYN, no greeting)
 * //  on port 5555 (1) — give --port PORT to decode a ZeroMQ port joined mid-stream; 1 other is not
 * //  ZeroMQ (its first bytes are no ZMTP greeting)"
 * }</pre>
 */
final class IgnoredFlows {
    /** Distinct ports counted; flows on further ports are counted without theirs. */
    static final int PORTS_TRACKED = 1024;
    /** Ports named in the summary, the busiest first. */
    static final int PORTS_SHOWN = 5;

    private long midStream;
    private long notZeromq;
    private final Map<Integer, Long> midStreamPorts = new HashMap<>();

    /**
     * One flow ignored.
     *
     * @param midStream no SYN was captured: the flow started before the capture
     * @param portA one end's port
     * @param portB the other's: the lower of the two is taken as the server's
     */
    void add(boolean midStream, int portA, int portB) {
        if (!midStream) {
            notZeromq++;
            return;
        }
        this.midStream++;
        int port = Math.min(portA, portB);
        if (midStreamPorts.size() < PORTS_TRACKED || midStreamPorts.containsKey(port)) {
            midStreamPorts.merge(port, 1L, Long::sum);
        }
    }

    /** True when a flow that started before the capture was ignored: worth a warning, not just information. */
    boolean anyMidStream() {
        return midStream > 0;
    }

    /** One line for all of them, or null when no flow was ignored. */
    String summary() {
        long total = midStream + notZeromq;
        if (total == 0) {
            return null;
        }
        StringBuilder s = new StringBuilder();
        s.append(total).append(total == 1 ? " TCP connection was" : " TCP connections were").append(" not decoded: ");
        if (midStream > 0) {
            s.append(midStream == total ? (total == 1 ? "it" : "they") : midStream + " of them")
                    .append(" started before the capture (no SYN, no greeting) on ").append(ports())
                    .append(" — give --port PORT to decode a ZeroMQ port joined mid-stream");
        }
        if (notZeromq > 0) {
            if (midStream > 0) {
                s.append("; ").append(notZeromq).append(notZeromq == 1 ? " other is" : " others are");
            } else {
                s.append(notZeromq == 1 ? "it is" : "they are");
            }
            s.append(" not ZeroMQ (").append(notZeromq == 1 ? "its" : "their").append(" first bytes are no ZMTP greeting)");
        }
        return s.toString();
    }

    /** {@code port 5555 (3)} or {@code ports 6001 (58), 6002 (57), … and 4 more}. */
    private String ports() {
        List<Map.Entry<Integer, Long>> busiest = new ArrayList<>(midStreamPorts.entrySet());
        busiest.sort(Map.Entry.<Integer, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        StringBuilder s = new StringBuilder(busiest.size() == 1 ? "port " : "ports ");
        int shown = Math.min(PORTS_SHOWN, busiest.size());
        for (int i = 0; i < shown; i++) {
            Map.Entry<Integer, Long> e = busiest.get(i);
            s.append(i == 0 ? "" : ", ").append(e.getKey()).append(" (").append(e.getValue()).append(')');
        }
        long untracked = midStream - midStreamPorts.values().stream().mapToLong(Long::longValue).sum();
        if (busiest.size() > shown) {
            s.append(" and ").append(busiest.size() - shown).append(untracked > 0 ? "+" : "").append(" more");
        } else if (untracked > 0) {
            s.append(" and others");
        }
        return s.toString();
    }
}
