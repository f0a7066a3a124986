package io.zmqtap.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The first half of a classic pcap file, cut at a packet record boundary: the same traffic, half
 * the size, for checking that {@code zmqtap read}'s memory does not grow with the file.
 *
 * <pre>
 * file header    24 bytes: magic a1b2c3d4 (microseconds) or a1b23c4d (nanoseconds), in the
 *                writer's byte order, which the magic's own byte order tells
 * each record    16 bytes: seconds, fraction, captured length, original length; then the packet
 * </pre>
 *
 * <p>Usage: {@code PcapHalf.write(Path.of("big.pcap"), Path.of("half.pcap")) // Optional.of(bytes written)}
 */
final class PcapHalf {
    private static final int FILE_HEADER = 24;
    private static final int RECORD_HEADER = 16;
    private static final int MICROS = 0xA1B2C3D4;
    private static final int NANOS = 0xA1B23C4D;

    private PcapHalf() {}

    /**
     * Writes to {@code target} the file header and the records of {@code source} that start before
     * its middle; empty (and nothing written) when {@code source} is not a classic pcap file (pcapng,
     * gzip).
     */
    static Optional<Long> write(Path source, Path target) throws IOException {
        long half = Files.size(source) / 2;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(source), 1 << 20)) {
            byte[] header = in.readNBytes(FILE_HEADER);
            Optional<ByteOrder> order = order(header);
            if (order.isEmpty()) {
                return Optional.empty();
            }
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 1 << 20)) {
                out.write(header);
                long written = FILE_HEADER;
                byte[] record = new byte[RECORD_HEADER];
                while (written < half && in.readNBytes(record, 0, RECORD_HEADER) == RECORD_HEADER) {
                    long captured = Integer.toUnsignedLong(ByteBuffer.wrap(record).order(order.get()).getInt(8));
                    out.write(record);
                    copy(in, out, captured);
                    written += RECORD_HEADER + captured;
                }
                return Optional.of(written);
            }
        }
    }

    private static Optional<ByteOrder> order(byte[] header) {
        if (header.length < FILE_HEADER) {
            return Optional.empty();
        }
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            int magic = ByteBuffer.wrap(header).order(order).getInt(0);
            if (magic == MICROS || magic == NANOS) {
                return Optional.of(order);
            }
        }
        return Optional.empty();
    }

    private static void copy(InputStream in, OutputStream out, long bytes) throws IOException {
        byte[] buf = new byte[8192];
        long left = bytes;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new EOFException("pcap file ends inside a packet");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }
}
