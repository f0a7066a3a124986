package io.zmqtap.pcap;

import io.zmqtap.ZmqTapException;
import java.util.Locale;

/**
 * A capture file that cannot be read on: truncated, corrupt, or holding a link type zmqtap does
 * not decode. The message is one sentence naming the problem and the byte offset in the
 * (uncompressed) file, e.g. {@code truncated pcap file: packet record at byte 1,234 needs 98
 * bytes, 40 left}; every packet before the damage has been delivered when it is thrown.
 */
public class CaptureFileException extends ZmqTapException {
    private final long offset;

    public CaptureFileException(String message, long offset) {
        super(message);
        this.offset = offset;
    }

    /** The byte offset of the damaged record or block in the uncompressed file. */
    public long offset() {
        return offset;
    }

    /** {@code 1234567} as {@code 1,234,567}: offsets in messages are read by people. */
    static String bytes(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
