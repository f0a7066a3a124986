package io.zmqtap.capture;

/**
 * The constants of zmqtap's capture files, and the one diagram of their layout.
 *
 * <pre>
 * file    = section section ...           (each run of a writer appends one section)
 * section = one gzip member (RFC 1952) whose header names it as ours:
 *
 *   +----+----+----+-----+-------+-------+-----+----+------+------+------+---------------+
 *   | 1f | 8b | 08 | 04  | MTIME (4, LE) | XFL | OS | XLEN = 6    | 'Z'  'C' | LEN = 2    | VERSION (2, LE) |
 *   +----+----+----+-----+-------+-------+-----+----+------+------+------+---------------+
 *    gzip magic, deflate, FEXTRA           one extra subfield "ZC": the format version (1)
 *
 *   then raw deflate (RFC 1951) of UTF-8 lines, sync-flushed at least every 200 ms:
 *     {"v":1,"type":"capture_start","format":1,"writer":"zmqtap 1.0.0","command":"tap","ts":"…"}
 *     {"v":1,"type":"message",…}          one event per line: docs/json.md, plus exactness fields
 *     …
 *     {"v":1,"type":"capture_end","ts":"…","events":1234}   only when the writer closed the file
 *   then the gzip trailer: CRC-32 and size of the lines (4 + 4 bytes, LE), only when closed
 * </pre>
 *
 * A whole file is therefore a valid multi-member gzip of JSON lines ({@code zcat f.zcap | jq}).
 *
 * <p>Usage: {@code if (CaptureFileFormat.isCapture(firstBytes)) ...}
 */
public final class CaptureFileFormat {
    /** The version this code writes and the highest it reads. */
    public static final int VERSION = 1;
    /** The file name extension zmqtap suggests (the reader goes by {@link #isCapture content}, never by name). */
    public static final String EXTENSION = ".zcap";
    /** Bytes of a section's gzip header: 10 fixed, 2 XLEN, 6 of our extra subfield. */
    public static final int HEADER_BYTES = 18;
    /** Bytes of the gzip trailer: CRC-32 and ISIZE. */
    public static final int TRAILER_BYTES = 8;
    /** The header line's and end line's {@code type}. */
    public static final String START = "capture_start";
    public static final String END = "capture_end";

    static final int FLG_FEXTRA = 0x04;
    static final int XLEN = 6;
    static final byte SI1 = 'Z';
    static final byte SI2 = 'C';
    static final int OS_UNKNOWN = 255;

    private CaptureFileFormat() {}

    /** A section's gzip header, {@value #HEADER_BYTES} bytes, stamped with {@code epochSecond}. */
    public static byte[] header(long epochSecond) {
        byte[] h = new byte[HEADER_BYTES];
        h[0] = 0x1f;
        h[1] = (byte) 0x8b;
        h[2] = 8; // deflate
        h[3] = FLG_FEXTRA;
        int mtime = (int) Math.max(0, Math.min(epochSecond, 0xffffffffL));
        putLe32(h, 4, mtime);
        h[8] = 0; // XFL
        h[9] = (byte) OS_UNKNOWN;
        h[10] = XLEN;
        h[11] = 0;
        h[12] = SI1;
        h[13] = SI2;
        h[14] = 2;
        h[15] = 0;
        h[16] = (byte) VERSION;
        h[17] = (byte) (VERSION >> 8);
        return h;
    }

    /**
     * True when {@code b[at..]} starts a section of ours (the gzip magic, FEXTRA, our subfield);
     * needs {@value #HEADER_BYTES} bytes. The version is not checked here: see {@link #version}.
     */
    public static boolean isSection(byte[] b, int at, int len) {
        return len - at >= HEADER_BYTES && (b[at] & 0xff) == 0x1f && (b[at + 1] & 0xff) == 0x8b && b[at + 2] == 8
                && (b[at + 3] & 0xff) == FLG_FEXTRA && b[at + 10] == XLEN && b[at + 11] == 0 && b[at + 12] == SI1
                && b[at + 13] == SI2 && b[at + 14] == 2 && b[at + 15] == 0;
    }

    /** True when a file starting with {@code first} (at least {@value #HEADER_BYTES} bytes of it) is a capture file. */
    public static boolean isCapture(byte[] first, int len) {
        return isSection(first, 0, len);
    }

    /** The format version of the section header at {@code b[at..]}. */
    public static int version(byte[] b, int at) {
        return (b[at + 16] & 0xff) | (b[at + 17] & 0xff) << 8;
    }

    static void putLe32(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    static int le32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }
}
