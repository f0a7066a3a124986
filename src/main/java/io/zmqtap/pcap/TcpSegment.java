package io.zmqtap.pcap;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Objects;

/**
 * One TCP segment from a capture: when, between which endpoints, its sequence and
 * acknowledgement numbers, flags and payload.
 *
 * <p>{@link #payload()} holds the <em>captured</em> bytes, read-only, from its position to its
 * limit; a packet cut by the snapshot length has fewer of them than {@link #payloadLength()}, the
 * segment's true length from the IP and TCP headers. Segments from {@link TcpDecoder} look into the
 * reader's buffer: the payload is valid only until the handler returns; {@link #detached()} copies
 * it for keeping (e.g. a segment that arrived out of order). {@link TcpDecoder#decodeView} and
 * {@link CaptureFileReader#readSegments} go further and hand out <em>one reused segment</em>, as
 * the reader does its packets: none of it may be kept past the handler call without
 * {@code detached()}.
 *
 * <p>A value otherwise: equal when every field is (payloads by their captured bytes).
 *
 * <p>Usage:
 * <pre>{@code
 * long next = (segment.seq() + segment.payloadLength() + (segment.syn() ? 1 : 0) + (segment.fin() ? 1 : 0)) & 0xffffffffL;
 * }</pre>
 */
public final class TcpSegment {
    // Not a record: the decoder's reused view sets these fields packet after packet, so that reading
    // a file costs no segment object and no payload slice per packet (a third of what read allocated).
    private Instant time;
    private InetSocketAddress source;
    private InetSocketAddress destination;
    private long seq;
    private long ack;
    private boolean syn;
    private boolean fin;
    private boolean rst;
    private boolean ackFlag;
    private ByteBuffer payload;
    private int payloadLength;
    private long fileOffset;
    /** How the decoder resolved the endpoints, with the reassembler's note; null for a segment made otherwise. */
    private EndpointPair pair;

    /**
     * @param time when it was captured (nanosecond precision when the file has it)
     * @param source the sender's address and port
     * @param destination the receiver's address and port
     * @param seq the sequence number, unsigned 32 bits
     * @param ack the acknowledgement number, unsigned 32 bits (meaningful when {@code ackFlag})
     * @param syn SYN flag
     * @param fin FIN flag
     * @param rst RST flag
     * @param ackFlag ACK flag
     * @param payload the captured payload bytes, read-only, from its position to its limit
     * @param payloadLength the payload's true length according to the headers
     * @param fileOffset byte offset of the packet's record in the uncompressed file (0 for a live capture)
     */
    public TcpSegment(Instant time, InetSocketAddress source, InetSocketAddress destination, long seq, long ack,
            boolean syn, boolean fin, boolean rst, boolean ackFlag, ByteBuffer payload, int payloadLength, long fileOffset) {
        set(time, source, destination, seq, ack, syn, fin, rst, ackFlag, payload, payloadLength, fileOffset);
    }

    /** An empty segment, for {@link TcpDecoder} to {@link #set}. */
    TcpSegment() {
    }

    /** Refills this segment: the decoder's reused view. */
    void set(Instant time, InetSocketAddress source, InetSocketAddress destination, long seq, long ack,
            boolean syn, boolean fin, boolean rst, boolean ackFlag, ByteBuffer payload, int payloadLength, long fileOffset) {
        this.time = time;
        this.source = source;
        this.destination = destination;
        this.seq = seq;
        this.ack = ack;
        this.syn = syn;
        this.fin = fin;
        this.rst = rst;
        this.ackFlag = ackFlag;
        this.payload = payload;
        this.payloadLength = payloadLength;
        this.fileOffset = fileOffset;
        this.pair = null;
    }

    /** Set by the decoder after {@link #set}: the endpoints came from {@code pair}. */
    void pair(EndpointPair pair) {
        this.pair = pair;
    }

    /** The decoder's resolution of this segment's direction, or null (a segment not made by a {@link TcpDecoder}). */
    EndpointPair pair() {
        return pair;
    }

    /** When it was captured (nanosecond precision when the file has it). */
    public Instant time() {
        return time;
    }

    /** The sender's address and port. */
    public InetSocketAddress source() {
        return source;
    }

    /** The receiver's address and port. */
    public InetSocketAddress destination() {
        return destination;
    }

    /** The sequence number, unsigned 32 bits. */
    public long seq() {
        return seq;
    }

    /** The acknowledgement number, unsigned 32 bits (meaningful when {@link #ackFlag()}). */
    public long ack() {
        return ack;
    }

    public boolean syn() {
        return syn;
    }

    public boolean fin() {
        return fin;
    }

    public boolean rst() {
        return rst;
    }

    public boolean ackFlag() {
        return ackFlag;
    }

    /** The captured payload bytes, read-only, from position to limit. */
    public ByteBuffer payload() {
        return payload;
    }

    /** The payload's true length according to the headers. */
    public int payloadLength() {
        return payloadLength;
    }

    /** Byte offset of the packet's record in the uncompressed file (0 for a live capture). */
    public long fileOffset() {
        return fileOffset;
    }

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
    public boolean equals(Object o) {
        return o instanceof TcpSegment s && seq == s.seq && ack == s.ack && syn == s.syn && fin == s.fin && rst == s.rst
                && ackFlag == s.ackFlag && payloadLength == s.payloadLength && fileOffset == s.fileOffset
                && Objects.equals(time, s.time) && Objects.equals(source, s.source)
                && Objects.equals(destination, s.destination) && Objects.equals(payload, s.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(time, source, destination, seq, ack, syn, fin, rst, ackFlag, payload, payloadLength, fileOffset);
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
