package io.zmqtap.pcap;

import static io.zmqtap.pcap.CaptureFileException.bytes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The classic pcap format (libpcap's savefile), in either byte order, with microsecond or
 * nanosecond timestamps:
 *
 * <pre>
 * file header, 24 bytes:
 *   magic      a1b2c3d4 (microseconds) or a1b23c4d (nanoseconds), in the writer's byte order
 *   version    2 bytes major, 2 bytes minor (2.4)
 *   thiszone   4 bytes (always 0), sigfigs 4 bytes (always 0)
 *   snaplen    4 bytes: the most bytes captured of one packet
 *   linktype   4 bytes: the LINKTYPE_ value in the low 16 bits (FCS information above)
 * then per packet, a 16-byte record header and the captured bytes:
 *   ts_sec 4, ts_usec (or ts_nsec) 4, incl_len 4 (captured), orig_len 4 (on the wire)
 * </pre>
 */
final class PcapRecords implements RecordReader {
    static final int MAGIC_MICROS = 0xa1b2c3d4;
    static final int MAGIC_NANOS = 0xa1b23c4d;
    static final int FILE_HEADER = 24;
    static final int RECORD_HEADER = 16;
    /** libpcap's largest snapshot length for every link type we decode; a larger snaplen in the header raises it. */
    static final int MAX_SNAPLEN = 262_144;
    /** No record is believed above this, whatever the header says: a bigger one is corruption, not a packet. */
    static final int MAX_RECORD = 16 * 1024 * 1024;

    private final CaptureInput input;
    private final boolean nanos;
    private final int linkType;
    private final long maxCapture;

    private PcapRecords(CaptureInput input, boolean nanos, int linkType, long snaplen) {
        this.input = input;
        this.nanos = nanos;
        this.linkType = linkType;
        this.maxCapture = Math.min(Math.max(snaplen, MAX_SNAPLEN), MAX_RECORD);
    }

    /** Reads the file header; the caller has seen one of the two magic numbers in the first 4 bytes (big-endian). */
    static PcapRecords open(CaptureInput input, int magic, boolean swapped) throws IOException {
        input.order(swapped ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        boolean nanos = (swapped ? Integer.reverseBytes(magic) : magic) == MAGIC_NANOS;
        input.format(nanos ? "pcap (nanosecond)" : "pcap");
        if (!input.fill(FILE_HEADER)) {
            throw input.truncated("file header", input.offset(), FILE_HEADER);
        }
        ByteBuffer f = input.fields();
        int p = input.start();
        long snaplen = f.getInt(p + 16) & 0xffffffffL;
        int linkType = f.getInt(p + 20) & 0xffff;
        input.advance(FILE_HEADER);
        return new PcapRecords(input, nanos, linkType, snaplen);
    }

    /** The link type of every packet in the file. */
    int linkType() {
        return linkType;
    }

    @Override
    public boolean next(CapturedPacket packet) throws IOException {
        long at = input.offset();
        if (!input.fill(RECORD_HEADER)) {
            if (input.atEnd()) {
                return false;
            }
            throw input.truncated("packet record", at, RECORD_HEADER);
        }
        ByteBuffer f = input.fields();
        int p = input.start();
        long seconds = f.getInt(p) & 0xffffffffL;
        long fraction = f.getInt(p + 4) & 0xffffffffL;
        long captured = f.getInt(p + 8) & 0xffffffffL;
        long original = f.getInt(p + 12) & 0xffffffffL;
        if (captured > maxCapture) {
            throw input.corrupt("packet record", at, "has an impossible capture length of " + bytes(captured) + " bytes (at most " + bytes(maxCapture) + " expected)");
        }
        int length = RECORD_HEADER + (int) captured;
        if (!input.fill(length)) {
            throw input.truncated("packet record", at, length);
        }
        p = input.start(); // filling may have moved the record to the front of the buffer
        packet.linkType = linkType;
        packet.time(seconds, nanos ? fraction : fraction * 1000);
        packet.data = input.view(p + RECORD_HEADER, (int) captured);
        packet.originalLength = (int) Math.min(original, Integer.MAX_VALUE);
        packet.fileOffset = at;
        packet.interfaceId = 0;
        input.advance(length);
        return true;
    }
}
