package io.zmqtap.pcap;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link TcpReassembler} has seen so far, for the statistics.
 *
 * <p>Usage: {@code reassembler.counters().counters().forEach((name, n) -> out.println(name + " " + n))}
 *
 * @param segments TCP segments handed in
 * @param bytes their payload bytes as sent (the headers' lengths, retransmissions included)
 * @param flows TCP connections seen (a port reused after a close counts again)
 * @param zeromqFlows flows decoded as ZeroMQ
 * @param ignoredFlows flows found not to be ZeroMQ, and skipped
 * @param gaps holes in a direction's bytes that were never filled (capture loss, snap length), each reported on its connection
 * @param retransmittedBytes payload bytes that arrived again after they were passed on or held (retransmissions, overlaps)
 * @param outOfOrderSegments segments that arrived ahead of a hole and were held
 * @param heldBytes bytes held now, waiting for a hole to be filled (or a greeting to be read): the payload
 *     bytes and 80 for each piece held apart (its bookkeeping), what the held bounds are checked against
 * @param peakHeldBytes the most ever held at once, counted the same way
 */
public record ReassemblyCounters(
        long segments,
        long bytes,
        long flows,
        long zeromqFlows,
        long ignoredFlows,
        long gaps,
        long retransmittedBytes,
        long outOfOrderSegments,
        long heldBytes,
        long peakHeldBytes) {

    /** The counters by their snake_case names, in a stable order, e.g. {@code out_of_order_segments}. */
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("segments", segments);
        m.put("bytes", bytes);
        m.put("flows", flows);
        m.put("zeromq_flows", zeromqFlows);
        m.put("ignored_flows", ignoredFlows);
        m.put("gaps", gaps);
        m.put("retransmitted_bytes", retransmittedBytes);
        m.put("out_of_order_segments", outOfOrderSegments);
        m.put("held_bytes", heldBytes);
        m.put("peak_held_bytes", peakHeldBytes);
        return m;
    }
}
