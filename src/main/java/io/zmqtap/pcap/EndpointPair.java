package io.zmqtap.pcap;

import java.net.InetSocketAddress;

/**
 * One direction of a connection as the decoder resolved it: the {@link EndpointCache}'s instances of
 * its two endpoints, their {@link FlowTable#hash flow-table hash}, and the half-stream the
 * reassembler last filed them under. A segment of a known connection so reaches its half-stream
 * through one lookup of its addresses and ports ({@link EndpointCache#pair}), where two endpoint
 * lookups and a flow-table probe each cost about a twentieth of reading a capture file.
 *
 * <p>The note is only a hint: the reassembler uses it while that half-stream is still filed in its
 * open flows ({@link HalfStream#filedIn}), and looks the flow table up otherwise. A pair that leaves
 * the cache takes its note with it; at most the cache's few thousand pairs keep a forgotten flow's
 * few hundred bytes alive.
 */
final class EndpointPair {
    final InetSocketAddress source;
    final InetSocketAddress destination;
    /** {@code FlowTable.hash(source, destination)}, worked out once. */
    final int hash;
    /** The half-stream the reassembler found for this direction, or null; see the class comment. */
    HalfStream stream;

    EndpointPair(InetSocketAddress source, InetSocketAddress destination) {
        this.source = source;
        this.destination = destination;
        this.hash = FlowTable.hash(source, destination);
    }
}
