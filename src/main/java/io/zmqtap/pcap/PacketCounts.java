package io.zmqtap.pcap;

/**
 * What {@link TcpDecoder} made of the packets it was given.
 *
 * @param packets every packet decoded
 * @param segments TCP segments handed on
 * @param nonTcp packets skipped as not IP, or IP but not TCP
 * @param fragments IPv4 or IPv6 fragments of TCP packets, not decoded (no IP reassembly)
 * @param unreadable packets whose headers the capture cut short (snapshot length) or that are malformed
 */
public record PacketCounts(long packets, long segments, long nonTcp, long fragments, long unreadable) {
    /** The counts by their snake_case names, for the statistics: packets, tcp_segments, non_tcp, fragments, unreadable. */
    public java.util.Map<String, Long> counters() {
        java.util.Map<String, Long> c = new java.util.LinkedHashMap<>();
        c.put("packets", packets);
        c.put("tcp_segments", segments);
        c.put("non_tcp", nonTcp);
        c.put("fragments", fragments);
        c.put("unreadable", unreadable);
        return c;
    }

    @Override
    public String toString() {
        return packets + " packets: " + segments + " TCP segments, " + nonTcp + " not TCP, " + fragments + " IP fragments, " + unreadable + " unreadable";
    }
}
