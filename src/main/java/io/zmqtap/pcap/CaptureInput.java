package io.zmqtap.pcap;

import static io.zmqtap.pcap.CaptureFileException.bytes;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.ZipException;

/**
 * The reader's one reused buffer over the (gunzipped) input. Records are parsed in place between
 * {@link #start()} and the end of what was read; a record that does not fit moves to the front
 * (only its own bytes are copied) and the rest of the buffer is refilled. The buffer grows only
 * for a record larger than itself, up to the readers' limit, so memory stays flat.
 *
 * <p>A gzip stream that breaks (cut short, bad data) is not reported at once: the records it
 * delivered before the break are read first, and the break is reported where bytes are missing.
 */
final class CaptureInput {
    static final int INITIAL_CAPACITY = 256 * 1024;

    private final InputStream in;
    private final boolean gzip;
    private String format = "capture";
    private byte[] array;
    private ByteBuffer fields; // the file's byte order: record headers
    private ByteBuffer view; // read-only, big-endian: what packets are shown through
    private int start;
    private int end;
    private long base; // file offset of array[0]
    private boolean eof;
    private IOException damage;

    CaptureInput(InputStream in, boolean gzip, int capacity) {
        this.in = in;
        this.gzip = gzip;
        wrap(new byte[capacity]);
    }

    private void wrap(byte[] bytes) {
        ByteOrder order = fields == null ? ByteOrder.BIG_ENDIAN : fields.order();
        array = bytes;
        fields = ByteBuffer.wrap(bytes).order(order);
        view = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    /** The name used in messages, e.g. {@code gzip-compressed pcap}. */
    void format(String name) {
        format = gzip ? "gzip-compressed " + name : name;
    }

    String format() {
        return format;
    }

    /** The buffer over the bytes in the file's byte order; absolute indexes from {@link #start()}. */
    ByteBuffer fields() {
        return fields;
    }

    void order(ByteOrder order) {
        fields.order(order);
    }

    byte[] array() {
        return array;
    }

    /** Index in {@link #fields()} of the first unread byte; changes when {@link #fill} makes room. */
    int start() {
        return start;
    }

    /** File offset of the first unread byte. */
    long offset() {
        return base + start;
    }

    /** Bytes read but not yet consumed. */
    int available() {
        return end - start;
    }

    void advance(int n) {
        start += n;
    }

    /** The shared read-only view over {@code length} bytes from index {@code from}. */
    ByteBuffer view(int from, int length) {
        view.clear();
        view.position(from);
        view.limit(from + length);
        return view;
    }

    /** True when {@code n} bytes from {@link #start()} are in the buffer, reading what it takes; false only at the end of the input. */
    boolean fill(int n) throws IOException {
        if (end - start >= n) {
            return true;
        }
        if (start + n > array.length) {
            makeRoom(n);
        }
        while (end - start < n && !eof) {
            int read;
            try {
                read = in.read(array, end, array.length - end);
            } catch (EOFException | ZipException e) {
                if (!gzip) {
                    throw e;
                }
                damage = e; // reported where the missing bytes are needed
                eof = true;
                break;
            }
            if (read < 0) {
                eof = true;
            } else {
                end += read;
            }
        }
        return end - start >= n;
    }

    private void makeRoom(int n) {
        int kept = end - start;
        if (n > array.length) {
            byte[] bigger = new byte[Math.max(n, Math.min(2 * array.length, Integer.MAX_VALUE - 8))];
            System.arraycopy(array, start, bigger, 0, kept);
            wrap(bigger);
        } else {
            System.arraycopy(array, start, array, 0, kept);
        }
        base += start;
        start = 0;
        end = kept;
    }

    /** Discards {@code n} bytes without keeping them; returns how many there were (fewer at the end of the input). */
    long skip(long n) throws IOException {
        long left = n;
        while (left > 0) {
            if (end == start && !fill(1)) {
                break;
            }
            int k = (int) Math.min(end - start, left);
            start += k;
            left -= k;
        }
        return n - left;
    }

    /** True when every byte has been consumed; a gzip stream that broke after the last whole record is reported here. */
    boolean atEnd() throws IOException {
        if (fill(1)) {
            return false;
        }
        if (damage != null) {
            throw brokenStream();
        }
        return true;
    }

    /** {@code truncated pcap file: packet record at byte 1,234 needs 98 bytes, 40 left}. */
    CaptureFileException truncated(String what, long at, long needs) {
        if (damage instanceof ZipException) {
            return brokenStream();
        }
        long left = Math.max(0, base + end - at);
        return new CaptureFileException(
                "truncated " + format + " file: " + what + " at byte " + bytes(at) + " needs " + bytes(needs) + " bytes, " + bytes(left) + " left",
                at);
    }

    /** {@code corrupt pcapng file: block at byte 24 ...}. */
    CaptureFileException corrupt(String what, long at, String problem) {
        return new CaptureFileException("corrupt " + format + " file: " + what + " at byte " + bytes(at) + " " + problem, at);
    }

    private CaptureFileException brokenStream() {
        long at = base + end;
        String problem = damage instanceof EOFException ? "the compressed data breaks off" : "the compressed data is corrupt";
        return new CaptureFileException(
                (damage instanceof EOFException ? "truncated " : "corrupt ") + format + " file: " + problem + " after byte " + bytes(at)
                        + " of the uncompressed file (" + damage.getMessage() + ")",
                at);
    }

    void close() throws IOException {
        in.close();
    }
}
