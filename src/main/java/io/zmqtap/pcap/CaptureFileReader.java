package io.zmqtap.pcap;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a pcap or pcapng capture file, gzip-compressed or not, one packet at a time through one
 * reused buffer: never the whole file in memory, no allocation per packet.
 *
 * <p>pcap: both byte orders, microsecond and nanosecond timestamps. pcapng: every section in
 * either byte order, its interfaces (link type, {@code if_tsresol}, {@code if_tsoffset}), Enhanced,
 * Simple and (obsolete) Packet Blocks; other blocks are skipped. A truncated or corrupt file ends
 * the reading with one {@link CaptureFileException} naming the problem and the byte offset, after
 * every packet before the damage.
 *
 * <p>Usage:
 * <pre>{@code
 * try (CaptureFileReader file = CaptureFileReader.open(new FileInputStream(path))) {
 *     TcpDecoder tcp = new TcpDecoder();
 *     file.readSegments(tcp, segment -> reassembly.add(segment)); // copy what you keep
 *     System.out.println(tcp.counts());
 * }
 * }</pre>
 */
public final class CaptureFileReader implements Closeable {
    private static final int GZIP_MAGIC = 0x1f8b;
    private static final int GZIP_BUFFER = 64 * 1024;

    private final CaptureInput input;
    private final RecordReader records;
    private final CapturedPacket packet = new CapturedPacket();
    private long packets;
    private CaptureFileException failure;

    private CaptureFileReader(CaptureInput input, RecordReader records) {
        this.input = input;
        this.records = records;
    }

    /** Opens a capture from a stream (buffered by the reader itself) and reads its file header. */
    public static CaptureFileReader open(InputStream in) throws IOException {
        return open(in, CaptureInput.INITIAL_CAPACITY);
    }

    /** Opens a capture from a channel, e.g. {@code FileChannel.open(path)}. */
    public static CaptureFileReader open(ReadableByteChannel channel) throws IOException {
        return open(Channels.newInputStream(channel));
    }

    /** As {@link #open(InputStream)} with a buffer of {@code capacity} bytes (it grows for a larger packet). */
    static CaptureFileReader open(InputStream in, int capacity) throws IOException {
        PushbackInputStream raw = new PushbackInputStream(in, 2);
        byte[] head = new byte[2];
        int n = raw.readNBytes(head, 0, 2);
        raw.unread(head, 0, n);
        boolean gzip = n == 2 && ((head[0] & 0xff) << 8 | head[1] & 0xff) == GZIP_MAGIC;
        InputStream stream = raw;
        if (gzip) {
            try {
                stream = new GZIPInputStream(raw, GZIP_BUFFER);
            } catch (EOFException | ZipException e) {
                throw new CaptureFileException("corrupt gzip-compressed capture file: bad gzip header at byte 0 (" + e.getMessage() + ")", 0);
            }
        }
        CaptureInput input = new CaptureInput(stream, gzip, capacity);
        input.format("capture");
        try {
            return new CaptureFileReader(input, formatOf(input));
        } catch (RuntimeException | IOException e) {
            input.close();
            throw e;
        }
    }

    private static RecordReader formatOf(CaptureInput input) throws IOException {
        if (!input.fill(4)) {
            if (input.available() == 0 && input.atEnd()) {
                throw new CaptureFileException("empty " + input.format() + " file: expected a pcap or pcapng file header at byte 0", 0);
            }
            throw input.truncated("file header", 0, 4);
        }
        int magic = ByteBuffer.wrap(input.array(), input.start(), 4).getInt();
        if (magic == PcapRecords.MAGIC_MICROS || magic == PcapRecords.MAGIC_NANOS) {
            return PcapRecords.open(input, magic, false);
        }
        if (magic == Integer.reverseBytes(PcapRecords.MAGIC_MICROS) || magic == Integer.reverseBytes(PcapRecords.MAGIC_NANOS)) {
            return PcapRecords.open(input, magic, true);
        }
        if (magic == PcapngBlocks.SECTION_HEADER) {
            return new PcapngBlocks(input);
        }
        throw new CaptureFileException(
                "not a pcap or pcapng file: magic number 0x" + String.format("%08x", magic) + " at byte 0 (expected a1b2c3d4, a1b23c4d or 0a0d0d0a, or gzip's 1f8b)", 0);
    }

    /**
     * The next packet, or null at the end of the file. The same {@link CapturedPacket} is refilled on
     * each call: read what you need before calling again.
     *
     * @throws CaptureFileException when the file is truncated or corrupt here (and again on later calls)
     */
    public CapturedPacket next() throws IOException {
        if (failure != null) {
            throw failure;
        }
        try {
            if (!records.next(packet)) {
                return null;
            }
        } catch (CaptureFileException e) {
            failure = e;
            throw e;
        }
        packets++;
        return packet;
    }

    /** Hands every packet to {@code handler}, in file order; returns how many. */
    public long read(PacketHandler handler) throws IOException {
        long count = 0;
        for (CapturedPacket p = next(); p != null; p = next()) {
            handler.packet(p);
            count++;
        }
        return count;
    }

    /**
     * Decodes every packet with {@code decoder} and hands each TCP segment to {@code handler}; the
     * packets that are not TCP are counted in the decoder. Returns how many segments. The segment
     * is the decoder's reused view ({@link TcpDecoder#decodeView}): the handler keeps one with
     * {@link TcpSegment#detached()}.
     *
     * @throws CaptureFileException also for a link type the decoder does not read
     */
    public long readSegments(TcpDecoder decoder, Consumer<TcpSegment> handler) throws IOException {
        long count = 0;
        for (CapturedPacket p = next(); p != null; p = next()) {
            TcpSegment segment = decoder.decodeView(p);
            if (segment != null) {
                handler.accept(segment);
                count++;
            }
        }
        return count;
    }

    /** {@code pcap}, {@code pcap (nanosecond)} or {@code pcapng}, with {@code gzip-compressed } before it when it was. */
    public String format() {
        return input.format();
    }

    /** How many packets {@link #next()} has returned. */
    public long packets() {
        return packets;
    }

    /** Bytes of the (uncompressed) file read up to the end of the last packet returned. */
    public long position() {
        return input.offset();
    }

    @Override
    public void close() throws IOException {
        input.close();
    }
}
