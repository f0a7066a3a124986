package io.zmqtap.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Reading copies no payload: the bytes stay in the reader's one buffer, whatever the file's size;
 * and it makes no object per packet but the segment's time (the segment and its payload view are
 * reused).
 */
class ReaderAllocationTest {
    private static final int PACKETS = 2000;
    private static final int PAYLOAD = 1400;

    @Test
    void readingAllocatesNoPayloadPerPacket() throws IOException {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "this JVM cannot count a thread's allocations");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(), "allocation counting is off");

        CaptureFiles.Pcap pcap = new CaptureFiles.Pcap(LinkType.ETHERNET);
        for (int i = 0; i < PACKETS; i++) {
            pcap.packet(Packets.ethernet(0x0800, Packets.ipv4(6, Packets.tcp(40000, 5555, i * PAYLOAD, Packets.ACK, new byte[PAYLOAD]))));
        }
        byte[] file = pcap.bytes();
        readAll(file); // loads and warms the classes

        CaptureFileReader reader = CaptureFileReader.open(new ByteArrayInputStream(file));
        TcpDecoder decoder = new TcpDecoder();
        long[] payloadBytes = {0};
        long before = threads.getCurrentThreadAllocatedBytes();
        long segments = reader.readSegments(decoder, segment -> payloadBytes[0] += segment.payload().remaining());
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(segments).isEqualTo(PACKETS);
        assertThat(payloadBytes[0]).isEqualTo((long) PACKETS * PAYLOAD);
        // a segment costs its Instant (24 bytes) and nothing else: the segment object and its payload
        // view were another 130 bytes per packet, a third of what reading a file allocated
        assertThat(allocated / PACKETS).as("bytes allocated per segment").isLessThan(40);
    }

    private static void readAll(byte[] file) throws IOException {
        try (CaptureFileReader reader = CaptureFileReader.open(new ByteArrayInputStream(file))) {
            reader.readSegments(new TcpDecoder(), segment -> {});
        }
    }
}
