package io.zmqtap.pcap;

import java.io.IOException;

/** One capture format's records, read one packet at a time into a reused view. */
interface RecordReader {
    /** Fills {@code packet} with the next packet and returns true, or returns false at the clean end of the file. */
    boolean next(CapturedPacket packet) throws IOException;
}
