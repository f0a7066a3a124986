package io.zmqtap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapHalfTest {
    /** A pcap file of {@code count} records of {@code size} bytes each, in {@code order}. */
    private static byte[] pcap(ByteOrder order, int count, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(24).order(order);
        header.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        out.writeBytes(header.array());
        for (int i = 0; i < count; i++) {
            ByteBuffer record = ByteBuffer.allocate(16).order(order);
            record.putInt(i).putInt(0).putInt(size).putInt(size);
            out.writeBytes(record.array());
            byte[] packet = new byte[size];
            Arrays.fill(packet, (byte) i);
            out.writeBytes(packet);
        }
        return out.toByteArray();
    }

    @Test
    void cutsAtTheFirstRecordBoundaryPastTheMiddleInEitherByteOrder(@TempDir Path dir) throws Exception {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            byte[] whole = pcap(order, 10, 100); // 24 + 10 * 116 = 1184 bytes, middle at 592
            Path source = dir.resolve("whole-" + order + ".pcap");
            Path half = dir.resolve("half-" + order + ".pcap");
            Files.write(source, whole);

            assertThat(PcapHalf.write(source, half)).as(order.toString()).contains(24L + 5 * 116);
            // records 0..4 end at 604: the first boundary at or past 592
            assertThat(Files.readAllBytes(half)).isEqualTo(Arrays.copyOf(whole, 24 + 5 * 116));
        }
    }

    @Test
    void aFileThatIsNotClassicPcapIsLeftAlone(@TempDir Path dir) throws Exception {
        Path pcapng = dir.resolve("x.pcapng");
        Files.write(pcapng, new byte[] {0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0,
            -1, -1, -1, -1, -1, -1, -1, -1, 28, 0, 0, 0});

        assertThat(PcapHalf.write(pcapng, dir.resolve("half.pcap"))).isEmpty();
        assertThat(dir.resolve("half.pcap")).doesNotExist();
    }
}
