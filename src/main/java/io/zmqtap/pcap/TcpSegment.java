package io.zmqtap.pcap;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * One TCP segment from a capture: when, between which endpoints, its sequence and
 * acknowledgement numbers, flags and payload.
 *
 * <p>{@link #payload()} holds the <em>captured</em> bytes, read-only; a packet cut by the snapshot
 * length has fewer of them than {@link #payloadLength()}, the segment's true length from the IP
 * and TCP headers. Segments from {@link TcpDecoder} look into the reader's buffer: the payload
 * is valid only until the handler returns; {@link #detached()} copies it for keeping (e.g. a
 * segment that arrived out of order).
 *
 * <p>Usage:
 * <pre>{@code
 * long next = (segment.seq() + segment.payloadLength() + (segment.syn() ? 1 : 0) + (segment.fin() ? 1 : 0)) & 0xffffffffL;
 * }</pre>
 *
 * @param time when it was captured (nanosecond precision when the file has it)
 * @param source the sender's address and port
 * @param destination the receiver's address and port
 * @param seq the sequence number, unsigned 32 bits
 * @param ack the acknowledgement number, unsigned 32 bits (meaningful when {@code ackFlag})
 * @param syn SYN flag
 * @param fin FIN flag
 * @param rst RST flag
 * @param ackFlag ACK flag
 * @param payload the captured payload bytes, read-only, position 0
 * @param payloadLength the payload's true length according to the headers
 * @param fileOffset byte offset of the packet's record in the uncompressed file (0 for a live capture)
 */
public record TcpSegment(
        Instant time,
        InetSocketAddress source,
        InetSocketAddress destination,
        long seq,
        long ack,
        boolean syn,
        boolean fin,
        boolean rst,
        boolean ackFlag,
        ByteBuffer payload,
        int payloadLength,
        long fileOffset) {

    /** True when the capture cut this segment's payload short (snapshot length). */
    public boolean truncated() {
        return payload.remaining() < payloadLength;
    }

    /** This segment with its own copy of the payload, safe to keep after the handler returns. */
    public TcpSegment detached() {
        ByteBuffer copy = ByteBuffer.allocate(payload.remaining());
        copy.put(payload.duplicate()).flip();
        return new TcpSegment(time, source, destination, seq, ack, syn, fin, rst, ackFlag, copy.asReadOnlyBuffer(), payloadLength, fileOffset);
    }

    /** The flow (both endpoints, either direction) this segment belongs to. */
    public FlowKey flow() {
        return new FlowKey(source, destination);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder().append(source).append(" > ").append(destination).append(" [");
        if (syn) s.append('S');
        if (fin) s.append('F');
        if (rst) s.append('R');
        if (ackFlag) s.append('.');
        s.append("] seq ").append(seq);
        if (ackFlag) s.append(" ack ").append(ack);
        s.append(" len ").append(payloadLength);
        if (truncated()) s.append(" (").append(payload.remaining()).append(" captured)");
        return s.append(" at byte ").append(fileOffset).toString();
    }
}
