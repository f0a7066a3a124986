package io.zmqtap.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Capture files, read packet by packet: formats, byte orders, resolutions, gzip, damage. */
class CaptureFileReaderTest {
    /** A copy of what a reader showed of one packet. */
    record Seen(int linkType, Instant time, byte[] data, int originalLength, long fileOffset, int interfaceId) {
        static Seen of(CapturedPacket p) {
            byte[] data = new byte[p.capturedLength()];
            p.data().duplicate().get(data);
            return new Seen(p.linkType(), p.time(), data, p.originalLength(), p.fileOffset(), p.interfaceId());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Seen s && linkType == s.linkType && time.equals(s.time) && Arrays.equals(data, s.data)
                    && originalLength == s.originalLength && fileOffset == s.fileOffset && interfaceId == s.interfaceId;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }
    }

    /** What reading a whole file gave: the packets, then the error that ended it, if any. */
    record Outcome(List<Seen> packets, CaptureFileException error) {}

    static Outcome read(byte[] file) {
        return read(file, 256 * 1024);
    }

    static Outcome read(byte[] file, int capacity) {
        List<Seen> seen = new ArrayList<>();
        try (CaptureFileReader reader = CaptureFileReader.open(new ByteArrayInputStream(file), capacity)) {
            reader.read(p -> seen.add(Seen.of(p)));
            return new Outcome(seen, null);
        } catch (CaptureFileException e) {
            return new Outcome(seen, e);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static final byte[] FIRST = Packets.ascii("first packet");
    private static final byte[] SECOND = Packets.ascii("second, longer packet");

    @Test
    void pcapInBothByteOrdersWithMicroAndNanosecondTimestampsReadsTheSame() {
        for (ByteOrder order : List.of(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN)) {
            for (boolean nanos : List.of(false, true)) {
                CaptureFiles.Pcap pcap = new CaptureFiles.Pcap(order, nanos, 65535, LinkType.RAW)
                        .packet(1_700_000_000L, nanos ? 123_456_789 : 123_456, FIRST)
                        .packet(1_700_000_001L, 7, SECOND);
                Outcome out = read(pcap.bytes());
                assertThat(out.error()).isNull();
                assertThat(out.packets()).containsExactly(
                        new Seen(101, Instant.ofEpochSecond(1_700_000_000L, nanos ? 123_456_789 : 123_456_000), FIRST, FIRST.length, 24, 0),
                        new Seen(101, Instant.ofEpochSecond(1_700_000_001L, nanos ? 7 : 7_000), SECOND, SECOND.length, 24 + 16 + FIRST.length, 0));
            }
        }
    }

    @Test
    void formatNamesTheFileKind() throws IOException {
        byte[] pcap = new CaptureFiles.Pcap(LinkType.RAW).bytes();
        byte[] pcapng = new CaptureFiles.Pcapng().section(ByteOrder.BIG_ENDIAN).bytes();
        assertThat(CaptureFileReader.open(new ByteArrayInputStream(pcap)).format()).isEqualTo("pcap");
        assertThat(CaptureFileReader.open(new ByteArrayInputStream(CaptureFiles.gzip(pcapng))).format()).isEqualTo("gzip-compressed pcapng");
        byte[] nanos = new CaptureFiles.Pcap(ByteOrder.BIG_ENDIAN, true, 100, 1).bytes();
        assertThat(CaptureFileReader.open(Channels.newChannel(new ByteArrayInputStream(nanos))).format()).isEqualTo("pcap (nanosecond)");
    }

    @Test
    void snaplenCutPacketsKeepTheirOriginalLength() {
        Outcome out = read(new CaptureFiles.Pcap(ByteOrder.LITTLE_ENDIAN, false, 5, LinkType.ETHERNET).packet(FIRST).bytes());
        assertThat(out.packets().get(0).data()).isEqualTo(Arrays.copyOf(FIRST, 5));
        assertThat(out.packets().get(0).originalLength()).isEqualTo(FIRST.length);
    }

    @Test
    void gzipCompressedFilesReadLikeTheirContent() {
        CaptureFiles.Pcap pcap = new CaptureFiles.Pcap(LinkType.ETHERNET).packet(FIRST).packet(SECOND);
        CaptureFiles.Pcapng pcapng = new CaptureFiles.Pcapng().section(ByteOrder.LITTLE_ENDIAN)
                .interfaceDescription(LinkType.LINUX_SLL, 0, null, null).enhanced(0, 42, FIRST);
        for (byte[] file : List.of(pcap.bytes(), pcapng.bytes())) {
            assertThat(read(CaptureFiles.gzip(file))).isEqualTo(read(file));
            assertThat(read(CaptureFiles.gzip(file)).packets()).isNotEmpty();
        }
    }

    @Test
    void pcapngInterfacesOfDifferentLinkTypesAndTimestampResolutions() {
        long seconds = 1_700_000_000L;
        CaptureFiles.Pcapng file = new CaptureFiles.Pcapng().section(ByteOrder.LITTLE_ENDIAN)
                .interfaceDescription(LinkType.ETHERNET, 65535, null, null) // microseconds by default
                .interfaceDescription(LinkType.LINUX_SLL2, 0, 9, null) // nanoseconds
                .interfaceDescription(LinkType.RAW, 0, 0x80 | 20, 100L) // 2^-20 s, 100 s later
                .interfaceDescription(LinkType.NULL, 0, 3, null) // milliseconds
                .enhanced(0, seconds * 1_000_000 + 654_321, FIRST)
                .enhanced(1, seconds * 1_000_000_000 + 987_654_321, SECOND)
                .enhanced(2, (seconds << 20) + (1 << 19), FIRST) // half a second
                .enhanced(3, seconds * 1000 + 5, SECOND);
        List<Long> at = file.offsets();
        assertThat(read(file.bytes()).packets()).containsExactly(
                new Seen(1, Instant.ofEpochSecond(seconds, 654_321_000), FIRST, FIRST.length, at.get(0), 0),
                new Seen(276, Instant.ofEpochSecond(seconds, 987_654_321), SECOND, SECOND.length, at.get(1), 1),
                new Seen(101, Instant.ofEpochSecond(seconds + 100, 500_000_000), FIRST, FIRST.length, at.get(2), 2),
                new Seen(0, Instant.ofEpochSecond(seconds, 5_000_000), SECOND, SECOND.length, at.get(3), 3));
    }

    @Test
    void pcapngSectionsInBothByteOrdersEachNumberTheirOwnInterfaces() {
        CaptureFiles.Pcapng file = new CaptureFiles.Pcapng()
                .section(ByteOrder.BIG_ENDIAN).interfaceDescription(LinkType.RAW, 0, null, null).enhanced(0, 1_000_000, FIRST)
                .section(ByteOrder.LITTLE_ENDIAN).interfaceDescription(LinkType.ETHERNET, 0, null, null)
                .interfaceDescription(LinkType.LINUX_SLL, 0, 9, null).enhanced(1, 2_000_000_000L, SECOND).enhanced(0, 3_000_000, FIRST);
        List<Long> at = file.offsets();
        assertThat(read(file.bytes()).packets()).containsExactly(
                new Seen(101, Instant.ofEpochSecond(1), FIRST, FIRST.length, at.get(0), 0),
                new Seen(113, Instant.ofEpochSecond(2), SECOND, SECOND.length, at.get(1), 1),
                new Seen(1, Instant.ofEpochSecond(3), FIRST, FIRST.length, at.get(2), 0));
    }

    @Test
    void pcapngSimpleAndObsoletePacketBlocksAreReadAndOtherBlocksSkipped() {
        CaptureFiles.Pcapng file = new CaptureFiles.Pcapng().section(ByteOrder.BIG_ENDIAN)
                .other(4, 30) // name resolution
                .interfaceDescription(LinkType.ETHERNET, 8, null, null)
                .simple(FIRST) // cut to the interface's snaplen of 8
                .other(5, 40) // interface statistics
                .packet(0, 4_000_000, SECOND)
                .other(0x40000bad, 5000) // a custom block larger than the buffer below
                .other(0x00000bad, 0);
        List<Long> at = file.offsets();
        assertThat(read(file.bytes(), 1024).packets()).containsExactly(
                new Seen(1, Instant.EPOCH, Arrays.copyOf(FIRST, 8), FIRST.length, at.get(0), 0),
                new Seen(1, Instant.ofEpochSecond(4), SECOND, SECOND.length, at.get(1), 0));
    }

    @Test
    void packetsLargerThanTheBufferGrowIt() {
        byte[] big = new byte[10_000];
        Arrays.fill(big, (byte) 7);
        CaptureFiles.Pcap pcap = new CaptureFiles.Pcap(LinkType.RAW).packet(FIRST).packet(big).packet(SECOND);
        assertThat(read(pcap.bytes(), 64)).isEqualTo(read(pcap.bytes()));
        assertThat(read(pcap.bytes(), 64).packets()).hasSize(3);
    }

    @Test
    void aPcapFileCutAnywhereDeliversEveryWholePacketThenOneErrorAtTheDamagedRecord() {
        CaptureFiles.Pcap pcap = new CaptureFiles.Pcap(LinkType.RAW).packet(FIRST).packet(SECOND).packet(FIRST);
        byte[] whole = pcap.bytes();
        List<Long> at = new ArrayList<>(pcap.offsets());
        at.add((long) whole.length);
        for (int cut = 4; cut < whole.length; cut++) {
            Outcome out = read(Arrays.copyOf(whole, cut), 32);
            if (cut < 24) {
                assertThat(out.error()).hasMessage("truncated pcap file: file header at byte 0 needs 24 bytes, " + cut + " left");
                continue;
            }
            int complete = 0;
            while (at.get(complete + 1) <= cut) {
                complete++;
            }
            assertThat(out.packets()).as("cut at %d", cut).hasSize(complete);
            long record = at.get(complete);
            if (cut == record) {
                assertThat(out.error()).isNull();
            } else {
                long needs = cut - record < 16 ? 16 : at.get(complete + 1) - record;
                assertThat(out.error()).as("cut at %d", cut).hasMessage(
                        "truncated pcap file: packet record at byte %d needs %d bytes, %d left", record, needs, cut - record);
                assertThat(out.error().offset()).isEqualTo(record);
            }
        }
    }

    @Test
    void aPcapngFileCutAnywhereDeliversEveryWholePacketThenOneErrorAtTheDamagedBlock() {
        CaptureFiles.Pcapng file = new CaptureFiles.Pcapng().section(ByteOrder.LITTLE_ENDIAN)
                .interfaceDescription(LinkType.RAW, 0, null, null).enhanced(0, 1, FIRST).other(5, 20).enhanced(0, 2, SECOND);
        byte[] whole = file.bytes();
        long[] starts = {0, 28, 60, 116, 148, whole.length};
        String[] names = {"Section Header Block", "Interface Description Block", "Enhanced Packet Block", "Interface Statistics Block", "Enhanced Packet Block"};
        assertThat(file.offsets()).containsExactly(60L, 148L);
        for (int cut = 4; cut < whole.length; cut++) {
            Outcome out = read(Arrays.copyOf(whole, cut), 32);
            int block = 0;
            while (starts[block + 1] <= cut) {
                block++;
            }
            long start = starts[block];
            assertThat(out.packets()).as("cut at %d", cut).hasSize(cut < 116 ? 0 : 1);
            if (cut == start) {
                assertThat(out.error()).as("cut at %d", cut).isNull();
                continue;
            }
            String expected;
            if (cut - start < 8) {
                expected = "block at byte " + start + " needs 8 bytes, " + (cut - start) + " left";
            } else if (block == 0) {
                expected = "Section Header Block at byte 0 needs " + (cut < 12 ? 12 : 28) + " bytes, " + cut + " left";
            } else {
                expected = names[block] + " at byte " + start + " needs " + (starts[block + 1] - start) + " bytes, " + (cut - start) + " left";
            }
            assertThat(out.error()).as("cut at %d", cut).hasMessage("truncated pcapng file: " + expected);
            assertThat(out.error().offset()).isEqualTo(start);
        }
    }

    @Test
    void aTruncatedGzipFileDeliversWhatItHoldsThenOneError() {
        CaptureFiles.Pcap pcap = new CaptureFiles.Pcap(LinkType.RAW);
        for (int i = 0; i < 200; i++) {
            pcap.packet(ByteBuffer.allocate(100).putInt(i).array());
        }
        byte[] gz = CaptureFiles.gzip(pcap.bytes());
        Outcome out = read(Arrays.copyOf(gz, gz.length / 2));
        assertThat(out.packets()).isNotEmpty().hasSizeLessThan(200);
        int delivered = out.packets().size();
        long record = pcap.offsets().get(delivered);
        assertThat(out.error().getMessage()).startsWith("truncated gzip-compressed pcap file: packet record at byte " + CaptureFileException.bytes(record) + " needs ");
        assertThat(out.error().offset()).isEqualTo(record);

        byte[] badCrc = gz.clone();
        badCrc[gz.length - 8] ^= 1;
        Outcome corrupt = read(badCrc);
        assertThat(corrupt.packets()).hasSize(200);
        assertThat(corrupt.error()).hasMessage("corrupt gzip-compressed pcap file: the compressed data is corrupt after byte "
                + CaptureFileException.bytes(pcap.bytes().length) + " of the uncompressed file (Corrupt GZIP trailer)");

        byte[] badHeader = {0x1f, (byte) 0x8b, 7, 0, 0, 0, 0, 0, 0, 0};
        assertThat(read(badHeader).error()).hasMessage("corrupt gzip-compressed capture file: bad gzip header at byte 0 (Unsupported compression method)");

        Outcome trailerCut = read(Arrays.copyOf(gz, gz.length - 3)); // every packet, then the stream's end is missing
        assertThat(trailerCut.packets()).hasSize(200);
        assertThat(trailerCut.error().getMessage()).startsWith("truncated gzip-compressed pcap file: the compressed data breaks off after byte " + CaptureFileException.bytes(pcap.bytes().length));
    }

    @Test
    void corruptFilesAreNamedWithTheirOffset() {
        assertThat(read(Packets.ascii("{\"event\":1}")).error()).hasMessage(
                "not a pcap or pcapng file: magic number 0x7b226576 at byte 0 (expected a1b2c3d4, a1b23c4d or 0a0d0d0a, or gzip's 1f8b)");
        assertThat(read(new byte[0]).error()).hasMessage("empty capture file: expected a pcap or pcapng file header at byte 0");
        assertThat(read(new byte[] {(byte) 0xa1, (byte) 0xb2}).error()).hasMessage("truncated capture file: file header at byte 0 needs 4 bytes, 2 left");

        byte[] pcap = new CaptureFiles.Pcap(LinkType.RAW).packet(FIRST).packet(SECOND).bytes();
        ByteBuffer.wrap(pcap).order(ByteOrder.LITTLE_ENDIAN).putInt(24 + 16 + FIRST.length + 8, 0x7fff_0000);
        Outcome out = read(pcap);
        assertThat(out.packets()).hasSize(1);
        assertThat(out.error()).hasMessage("corrupt pcap file: packet record at byte 52 has an impossible capture length of 2,147,418,112 bytes (at most 262,144 expected)");
    }

    @Test
    void corruptPcapngBlocksAreNamedWithTheirOffset() {
        CaptureFiles.Pcapng good = new CaptureFiles.Pcapng().section(ByteOrder.BIG_ENDIAN)
                .interfaceDescription(LinkType.RAW, 0, null, null).enhanced(0, 1, FIRST).enhanced(0, 2, SECOND);
        int second = good.offsets().get(1).intValue();

        byte[] badLength = good.bytes();
        ByteBuffer.wrap(badLength).putInt(second + 4, 30);
        assertThat(read(badLength).error()).hasMessage("corrupt pcapng file: Enhanced Packet Block at byte " + second + " has length 30 (expected a multiple of 4, at least 12)");
        assertThat(read(badLength).packets()).hasSize(1);

        byte[] badTrailer = good.bytes();
        ByteBuffer.wrap(badTrailer).putInt(badTrailer.length - 4, 12);
        assertThat(read(badTrailer).error()).hasMessage("corrupt pcapng file: Enhanced Packet Block at byte " + second + " ends with length 12, not " + (badTrailer.length - second));

        byte[] badInterface = good.bytes();
        ByteBuffer.wrap(badInterface).putInt(second + 8, 3);
        assertThat(read(badInterface).error()).hasMessage("corrupt pcapng file: Enhanced Packet Block at byte " + second + " names interface 3, but its section describes 1");

        byte[] badCapture = good.bytes();
        ByteBuffer.wrap(badCapture).putInt(second + 20, 4000);
        assertThat(read(badCapture).error()).hasMessage("corrupt pcapng file: Enhanced Packet Block at byte " + second + " captures 4,000 bytes, more than its length of 68 holds");

        byte[] badResolution = new CaptureFiles.Pcapng().section(ByteOrder.LITTLE_ENDIAN).interfaceDescription(1, 0, 19, null).bytes();
        assertThat(read(badResolution).error()).hasMessage(
                "corrupt pcapng file: Interface Description Block at byte 28 has an unusable if_tsresol 0x13 (expected 10^-0..10^-18 or 2^-0..2^-63 seconds)");

        byte[] badMagic = good.bytes();
        ByteBuffer.wrap(badMagic).putInt(8, 0x12345678);
        assertThat(read(badMagic).error()).hasMessage("corrupt pcapng file: Section Header Block at byte 0 has byte-order magic 0x12345678 (expected 0x1a2b3c4d in either byte order)");
    }

    @Test
    void aPcapngTimestampOutsideTheYearsOneTo9999IsCorruptAfterWhatCameBefore() {
        // whole seconds (if_tsresol 10^0): 2^64 - 1 reads as -1 when taken for a signed long, and
        // 10^13 s is past the year 9999; an if_tsoffset can push a plausible time out too, or overflow
        long lastSecond = 253_402_300_799L;
        for (long[] c : new long[][] {{-1L, 0}, {10_000_000_000_000L, 0}, {lastSecond + 1, 0}, {1_700_000_000L, Long.MAX_VALUE},
                {1_700_000_000L, -1_700_000_000L - 62_135_596_801L}}) {
            CaptureFiles.Pcapng file = new CaptureFiles.Pcapng().section(ByteOrder.LITTLE_ENDIAN)
                    .interfaceDescription(LinkType.RAW, 0, 0, null).enhanced(0, 1_700_000_000L, FIRST)
                    .interfaceDescription(LinkType.RAW, 0, 0, c[1]).enhanced(1, c[0], SECOND);
            Outcome out = read(file.bytes());
            assertThat(out.packets()).as(Long.toUnsignedString(c[0])).hasSize(1);
            assertThat(out.error()).hasMessage("corrupt pcapng file: Enhanced Packet Block at byte " + file.offsets().get(1)
                    + " has a timestamp outside the years 1 to 9999 (" + Long.toUnsignedString(c[0])
                    + " units of its interface's if_tsresol, with its if_tsoffset)");
        }
        // the last second of 9999 and the first of year 1 are times still
        CaptureFiles.Pcapng edges = new CaptureFiles.Pcapng().section(ByteOrder.LITTLE_ENDIAN)
                .interfaceDescription(LinkType.RAW, 0, 0, null).enhanced(0, lastSecond, FIRST)
                .interfaceDescription(LinkType.RAW, 0, 0, -62_135_596_800L).enhanced(1, 0, SECOND);
        Outcome out = read(edges.bytes());
        assertThat(out.error()).isNull();
        assertThat(out.packets()).extracting(Seen::time)
                .containsExactly(Instant.parse("9999-12-31T23:59:59Z"), Instant.parse("0001-01-01T00:00:00Z"));
    }

    @Test
    void afterAnErrorTheReaderKeepsReportingIt() throws IOException {
        byte[] cut = Arrays.copyOf(new CaptureFiles.Pcap(LinkType.RAW).packet(FIRST).bytes(), 30);
        CaptureFileReader reader = CaptureFileReader.open(new ByteArrayInputStream(cut));
        assertThatThrownBy(reader::next).isInstanceOf(CaptureFileException.class).hasMessageContaining("at byte 24");
        assertThatThrownBy(reader::next).isInstanceOf(CaptureFileException.class).hasMessageContaining("at byte 24");
    }

    @Test
    void theReaderShowsEveryPacketThroughOneReusedReadOnlyView() throws IOException {
        byte[] file = new CaptureFiles.Pcap(LinkType.RAW).packet(FIRST).packet(SECOND).bytes();
        CaptureFileReader reader = CaptureFileReader.open(new ByteArrayInputStream(file));
        CapturedPacket first = reader.next();
        ByteBuffer firstData = first.data();
        CapturedPacket second = reader.next();
        assertThat(second).isSameAs(first);
        assertThat(second.data()).isSameAs(firstData);
        assertThat(second.data().isReadOnly()).isTrue();
        assertThat(reader.next()).isNull();
        assertThat(reader.packets()).isEqualTo(2);
        assertThat(reader.position()).isEqualTo(file.length);
    }
}
