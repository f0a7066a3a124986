package io.zmqtap.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Random TCP segments written into every kind of capture file read back equal. */
class TcpSegmentProperties {
    /** One segment to write: what the decoder must give back. */
    record Written(byte[] source, byte[] destination, int sourcePort, int destinationPort, long seq, long ack, int flags, byte[] payload, long seconds, int nanos) {}

    @Property(tries = 300)
    void segmentsWrittenToAnyCaptureFileReadBackEqual(
            @ForAll @Size(max = 12) List<@net.jqwik.api.From("segments") Written> segments,
            @ForAll("linkTypes") int linkType,
            @ForAll boolean pcapng,
            @ForAll boolean bigEndian,
            @ForAll boolean nanosecondFile,
            @ForAll boolean gzip,
            @ForAll @IntRange(min = 100, max = 1600) int snaplen,
            @ForAll @IntRange(min = 16, max = 2048) int bufferCapacity) throws IOException {
        ByteOrder order = bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        CaptureFiles.Pcap pcap = new CaptureFiles.Pcap(order, nanosecondFile, snaplen, linkType);
        CaptureFiles.Pcapng ng = new CaptureFiles.Pcapng().section(order)
                .interfaceDescription(LinkType.NULL, 0, null, null) // an interface the segments do not use
                .interfaceDescription(linkType, snaplen, nanosecondFile ? 9 : null, null);
        List<TcpSegment> expected = new ArrayList<>();
        for (Written w : segments) {
            byte[] source = version(w.source(), linkType);
            byte[] destination = version(w.destination(), linkType);
            byte[] tcp = Packets.tcp(w.sourcePort(), w.destinationPort(), w.seq(), w.ack(), w.flags(), new byte[0], w.payload());
            byte[] ip = source.length == 4 ? Packets.ipv4(source, destination, 6, new byte[0], 0, tcp) : Packets.ipv6(source, destination, 6, tcp);
            byte[] frame = Packets.framed(linkType, ip);
            long fraction = nanosecondFile ? w.nanos() : w.nanos() / 1000;
            long offset;
            if (pcapng) {
                ng.enhanced(1, w.seconds() * (nanosecondFile ? 1_000_000_000L : 1_000_000L) + fraction, frame);
                offset = ng.offsets().get(ng.offsets().size() - 1);
            } else {
                pcap.packet(w.seconds(), fraction, frame);
                offset = pcap.offsets().get(pcap.offsets().size() - 1);
            }
            int headers = frame.length - w.payload().length;
            int captured = Math.max(0, Math.min(w.payload().length, snaplen - headers));
            expected.add(new TcpSegment(
                    Instant.ofEpochSecond(w.seconds(), nanosecondFile ? w.nanos() : w.nanos() / 1000 * 1000),
                    endpoint(source, w.sourcePort()), endpoint(destination, w.destinationPort()), w.seq(), w.ack(),
                    (w.flags() & Packets.SYN) != 0, (w.flags() & Packets.FIN) != 0, (w.flags() & Packets.RST) != 0, (w.flags() & Packets.ACK) != 0,
                    ByteBuffer.wrap(w.payload(), 0, captured), w.payload().length, offset));
        }
        byte[] file = pcapng ? ng.bytes() : pcap.bytes();
        if (gzip) {
            file = CaptureFiles.gzip(file);
        }

        List<TcpSegment> read = new ArrayList<>();
        TcpDecoder decoder = new TcpDecoder();
        try (CaptureFileReader reader = CaptureFileReader.open(new ByteArrayInputStream(file), bufferCapacity)) {
            reader.readSegments(decoder, segment -> read.add(segment.detached()));
        }
        assertThat(read).isEqualTo(expected);
        assertThat(decoder.counts()).isEqualTo(new PacketCounts(segments.size(), segments.size(), 0, 0, 0));
    }

    /** Raw IP of one version forces the addresses to that version. */
    private static byte[] version(byte[] address, int linkType) {
        if (linkType == LinkType.IPV4 && address.length == 16) {
            return new byte[] {address[12], address[13], address[14], address[15]};
        }
        if (linkType == LinkType.IPV6 && address.length == 4) {
            byte[] v6 = new byte[16];
            v6[0] = 0x20;
            System.arraycopy(address, 0, v6, 12, 4);
            return v6;
        }
        return address;
    }

    private static InetSocketAddress endpoint(byte[] address, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Provide
    Arbitrary<Integer> linkTypes() {
        return Arbitraries.of(LinkType.ETHERNET, LinkType.LINUX_SLL, LinkType.LINUX_SLL2, LinkType.NULL, LinkType.LOOP,
                LinkType.RAW, LinkType.RAW_12, LinkType.RAW_14, LinkType.IPV4, LinkType.IPV6);
    }

    @Provide
    Arbitrary<Written> segments() {
        Arbitrary<byte[]> v4 = Arbitraries.bytes().array(byte[].class).ofSize(4);
        Arbitrary<byte[]> v6 = Arbitraries.bytes().array(byte[].class).ofSize(16).map(a -> {
            a[0] = 0x20; // never an IPv4-mapped address, which Java turns into an Inet4Address
            return a;
        });
        Arbitrary<List<byte[]>> addresses = Arbitraries.oneOf(v4.list().ofSize(2), v6.list().ofSize(2));
        Arbitrary<Integer> ports = Arbitraries.integers().between(0, 65535);
        Arbitrary<Long> numbers = Arbitraries.longs().between(0, 0xffffffffL);
        Arbitrary<Integer> flags = Arbitraries.integers().between(0, 0x3f);
        Arbitrary<byte[]> payloads = Arbitraries.bytes().array(byte[].class).ofMaxSize(1500);
        Arbitrary<Long> seconds = Arbitraries.longs().between(0, 0xffffffffL);
        Arbitrary<Integer> nanos = Arbitraries.integers().between(0, 999_999_999);
        return Combinators.combine(addresses, ports, ports, numbers, numbers, flags, payloads, seconds)
                .flatAs((a, sp, dp, seq, ack, f, p, s) -> nanos.map(n -> new Written(a.get(0), a.get(1), sp, dp, seq, ack, f, p, s, n)));
    }
}
