package io.zmqtap.pcap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;

/**
 * One packet as a capture recorded it: when, on which link type, the bytes captured (possibly
 * cut by the snapshot length) and how long the packet really was.
 *
 * <p>A reused view: {@link CaptureFileReader} refills the same instance for every packet, and
 * {@link #data()} looks into the reader's buffer, so neither may be kept past the handler call.
 * A live source fills its own instance with {@link #set} and hands it to {@link TcpDecoder}.
 *
 * <p>Usage:
 * <pre>{@code
 * CapturedPacket p = new CapturedPacket();
 * p.set(LinkType.ETHERNET, seconds, nanos, ByteBuffer.wrap(frame), frame.length, 0);
 * TcpSegment segment = decoder.decode(p);
 * }</pre>
 */
public final class CapturedPacket {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    int linkType;
    long epochSecond;
    int nanos;
    ByteBuffer data = ByteBuffer.allocate(0).asReadOnlyBuffer();
    int originalLength;
    long fileOffset;
    int interfaceId;

    /**
     * Fills this view. {@code data}'s position to limit are the captured bytes; a buffer in
     * little-endian order is read through a big-endian duplicate (network order).
     */
    public CapturedPacket set(int linkType, long epochSecond, long nanos, ByteBuffer data, int originalLength, long fileOffset) {
        this.linkType = linkType;
        time(epochSecond, nanos);
        this.data = data.order() == ByteOrder.BIG_ENDIAN ? data : data.duplicate().order(ByteOrder.BIG_ENDIAN);
        this.originalLength = originalLength;
        this.fileOffset = fileOffset;
        this.interfaceId = 0;
        return this;
    }

    /** Sets the time, carrying whole seconds out of {@code nanos} (a corrupt microsecond field may exceed one second). */
    void time(long epochSecond, long nanos) {
        if (nanos >= NANOS_PER_SECOND || nanos < 0) {
            epochSecond += Math.floorDiv(nanos, NANOS_PER_SECOND);
            nanos = Math.floorMod(nanos, NANOS_PER_SECOND);
        }
        this.epochSecond = epochSecond;
        this.nanos = (int) nanos;
    }

    /** The link type (a {@code LINKTYPE_} value, see {@link LinkType}) of the interface that captured it. */
    public int linkType() {
        return linkType;
    }

    /** When it was captured, to the nanosecond (as precise as the file's resolution allows). */
    public Instant time() {
        return Instant.ofEpochSecond(epochSecond, nanos);
    }

    /** {@link #time()}'s seconds since the epoch, without creating an {@code Instant}. */
    public long epochSecond() {
        return epochSecond;
    }

    /** {@link #time()}'s nanoseconds within the second. */
    public int nanos() {
        return nanos;
    }

    /** The captured bytes from position to limit, read-only, big-endian; valid until the handler returns. */
    public ByteBuffer data() {
        return data;
    }

    /** How many bytes were captured: {@code data().remaining()}. */
    public int capturedLength() {
        return data.remaining();
    }

    /** How long the packet was on the wire; more than {@link #capturedLength()} when the snapshot length cut it. */
    public int originalLength() {
        return originalLength;
    }

    /** The byte offset of this packet's record (pcap) or block (pcapng) in the uncompressed file. */
    public long fileOffset() {
        return fileOffset;
    }

    /** The pcapng interface it was captured on (0 in a pcap file). */
    public int interfaceId() {
        return interfaceId;
    }

    @Override
    public String toString() {
        return "packet at byte " + fileOffset + ": link type " + linkType + ", " + capturedLength() + " of " + originalLength + " bytes, " + time();
    }
}
