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
    @Override
    public String toString() {
        return packets + " packets: " + segments + " TCP segments, " + nonTcp + " not TCP, " + fragments + " IP fragments, " + unreadable + " unreadable";
    }
}
