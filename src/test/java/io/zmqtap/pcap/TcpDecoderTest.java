package io.zmqtap.pcap;

import static io.zmqtap.pcap.Packets.ACK;
import static io.zmqtap.pcap.Packets.CLIENT4;
import static io.zmqtap.pcap.Packets.CLIENT6;
import static io.zmqtap.pcap.Packets.FIN;
import static io.zmqtap.pcap.Packets.PSH;
import static io.zmqtap.pcap.Packets.RST;
import static io.zmqtap.pcap.Packets.SERVER4;
import static io.zmqtap.pcap.Packets.SERVER6;
import static io.zmqtap.pcap.Packets.SYN;
import static io.zmqtap.pcap.Packets.ascii;
import static io.zmqtap.pcap.Packets.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Packets of every link type, IPv4 and IPv6, down to their TCP segments. */
class TcpDecoderTest {
    private static final byte[] HELLO = {(byte) 0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f}; // a ZMTP greeting's first 10 bytes
    private static final byte[] SEGMENT = tcp(40000, 5555, 1000, 2000, PSH | ACK, new byte[0], HELLO);

    private final TcpDecoder decoder = new TcpDecoder();

    private static InetSocketAddress endpoint(byte[] address, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CapturedPacket packet(int linkType, byte[] data) {
        return new CapturedPacket().set(linkType, 1_700_000_000L, 5, ByteBuffer.wrap(data), data.length, 99);
    }

    private static byte[] payload(TcpSegment segment) {
        byte[] bytes = new byte[segment.payload().remaining()];
        segment.payload().duplicate().get(bytes);
        return bytes;
    }

    @Test
    void theViewIsOneSegmentReusedAndDetachingKeepsOne() {
        byte[] reply = ascii("reply!");
        CapturedPacket first = packet(LinkType.ETHERNET, Packets.ethernet(0x0800, Packets.ipv4(6, SEGMENT)));
        CapturedPacket second = packet(LinkType.ETHERNET, Packets.ethernet(0x0800,
                Packets.ipv4(6, tcp(5555, 40000, 2000, 1010, PSH | ACK, new byte[0], reply))));

        TcpSegment view = decoder.decodeView(first);
        assertThat(view).isEqualTo(new TcpDecoder().decode(first)); // the same fields as a segment of its own
        assertThat(view.payload().isReadOnly()).isTrue(); // the packet's buffer was writable
        TcpSegment kept = view.detached();

        TcpSegment next = decoder.decodeView(second);
        assertThat(next).isSameAs(view);
        assertThat(payload(next)).isEqualTo(reply);
        assertThat(next.source().getPort()).isEqualTo(5555);
        assertThat(next.seq()).isEqualTo(2000);
        assertThat(payload(kept)).isEqualTo(HELLO); // the copy outlives the view
        assertThat(kept.seq()).isEqualTo(1000);
        assertThat(decoder.counts()).isEqualTo(new PacketCounts(2, 2, 0, 0, 0));
    }

    /** Decodes {@code ip} framed for every link type that can carry it. */
    private void assertEveryLinkTypeDecodes(byte[] ip, byte[] client, byte[] server) {
        boolean v6 = (ip[0] & 0xf0) == 0x60;
        List<Integer> linkTypes = new ArrayList<>(List.of(
                LinkType.ETHERNET, LinkType.LINUX_SLL, LinkType.LINUX_SLL2, LinkType.NULL, LinkType.LOOP,
                LinkType.RAW, LinkType.RAW_12, LinkType.RAW_14, v6 ? LinkType.IPV6 : LinkType.IPV4));
        for (int linkType : linkTypes) {
            TcpSegment segment = decoder.decode(packet(linkType, Packets.framed(linkType, ip)));
            assertThat(segment).as(LinkType.name(linkType)).isEqualTo(new TcpSegment(
                    Instant.ofEpochSecond(1_700_000_000L, 5), endpoint(client, 40000), endpoint(server, 5555),
                    1000, 2000, false, false, false, true, ByteBuffer.wrap(HELLO), HELLO.length, 99));
        }
        assertThat(decoder.counts()).isEqualTo(new PacketCounts(linkTypes.size(), linkTypes.size(), 0, 0, 0));
    }

    @Test
    void everyLinkTypeCarriesIpv4() {
        assertEveryLinkTypeDecodes(Packets.ipv4(6, SEGMENT), CLIENT4, SERVER4);
    }

    @Test
    void everyLinkTypeCarriesIpv6() {
        assertEveryLinkTypeDecodes(Packets.ipv6(6, SEGMENT), CLIENT6, SERVER6);
    }

    @Test
    void loopbackFamiliesOfEveryCapturingSystemInEitherByteOrder() {
        for (ByteOrder order : List.of(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN)) {
            assertThat(decoder.decode(packet(LinkType.NULL, Packets.loopback(2, order, Packets.ipv4(6, SEGMENT))))).isNotNull();
            for (int family : new int[] {10, 23, 24, 28, 30}) {
                assertThat(decoder.decode(packet(LinkType.NULL, Packets.loopback(family, order, Packets.ipv6(6, SEGMENT))))).isNotNull();
            }
            assertThat(decoder.decode(packet(LinkType.NULL, Packets.loopback(7, order, Packets.ipv4(6, SEGMENT))))).isNull();
        }
        assertThat(decoder.counts()).isEqualTo(new PacketCounts(14, 12, 2, 0, 0));
    }

    @Test
    void vlanTagsAreSteppedOver() {
        byte[] ip = Packets.ipv4(6, SEGMENT);
        assertThat(payload(decoder.decode(packet(1, Packets.ethernet(0x0800, ip, 0x8100))))).isEqualTo(HELLO);
        assertThat(payload(decoder.decode(packet(1, Packets.ethernet(0x86dd, Packets.ipv6(6, SEGMENT), 0x88a8, 0x8100))))).isEqualTo(HELLO);
        assertThat(payload(decoder.decode(packet(113, Packets.sll(0x8100, Packets.concat(new byte[] {0, 5, 8, 0}, ip)))))).isEqualTo(HELLO);
    }

    @Test
    void ipv4OptionsAndTcpOptionsAreSkipped() {
        byte[] options = {(byte) 0x94, 4, 0, 0, 1, 1, 1, 0}; // router alert, NOPs, end
        byte[] tcpOptions = {2, 4, 0x05, (byte) 0xb4, 1, 1, 4, 2}; // MSS, NOPs, SACK permitted
        byte[] ip = Packets.ipv4(CLIENT4, SERVER4, 6, options, 0, tcp(40000, 5555, 1, 0, SYN, tcpOptions, HELLO));
        TcpSegment segment = decoder.decode(packet(LinkType.RAW, ip));
        assertThat(payload(segment)).isEqualTo(HELLO);
        assertThat(segment.syn()).isTrue();
    }

    @Test
    void ipv6ExtensionHeadersAreSkipped() {
        byte[] ip = Packets.ipv6(CLIENT6, SERVER6, 6, SEGMENT, 0, 43, 60, 51);
        TcpSegment segment = decoder.decode(packet(LinkType.RAW, ip));
        assertThat(payload(segment)).isEqualTo(HELLO);
        assertThat(segment.payloadLength()).isEqualTo(HELLO.length);
    }

    @Test
    void ethernetPaddingIsNotPayload() {
        byte[] frame = Arrays.copyOf(Packets.ethernet(0x0800, Packets.ipv4(6, tcp(1, 2, 3, ACK, ascii("hi")))), 60);
        TcpSegment segment = decoder.decode(packet(LinkType.ETHERNET, frame));
        assertThat(payload(segment)).isEqualTo(ascii("hi"));
        assertThat(segment.payloadLength()).isEqualTo(2);
        assertThat(segment.truncated()).isFalse();
    }

    @Test
    void aPacketCutByTheSnapshotLengthKeepsItsTruePayloadLength() {
        byte[] body = new byte[1000];
        Arrays.fill(body, (byte) 'x');
        for (byte[] ip : List.of(Packets.ipv4(6, tcp(1, 2, 3, ACK, body)), Packets.ipv6(6, tcp(1, 2, 3, ACK, body)))) {
            byte[] frame = Packets.ethernet((ip[0] & 0xf0) == 0x60 ? 0x86dd : 0x0800, ip);
            CapturedPacket cut = new CapturedPacket().set(1, 0, 0, ByteBuffer.wrap(frame, 0, 200), frame.length, 0);
            TcpSegment segment = decoder.decode(cut);
            assertThat(segment.payloadLength()).isEqualTo(1000);
            assertThat(segment.payload().remaining()).isEqualTo(200 - 14 - (ip.length - 1000)); // after the IP and TCP headers
            assertThat(segment.truncated()).isTrue();
        }
    }

    @Test
    void headersCutShortAreCountedAsUnreadable() {
        byte[] frame = Packets.ethernet(0x0800, Packets.ipv4(6, SEGMENT));
        for (int captured : new int[] {10, 13, 20, 33, 40, 53}) {
            assertThat(decoder.decode(new CapturedPacket().set(1, 0, 0, ByteBuffer.wrap(frame, 0, captured), frame.length, 0))).isNull();
        }
        assertThat(decoder.counts()).isEqualTo(new PacketCounts(6, 0, 0, 0, 6));
    }

    @Test
    void packetsThatAreNotTcpAreSkippedAndCounted() {
        assertThat(decoder.decode(packet(1, Packets.ethernet(0x0806, new byte[28])))).isNull(); // ARP
        assertThat(decoder.decode(packet(1, Packets.ethernet(0x0800, Packets.ipv4(17, new byte[16]))))).isNull(); // UDP
        assertThat(decoder.decode(packet(1, Packets.ethernet(0x86dd, Packets.ipv6(58, new byte[8]))))).isNull(); // ICMPv6
        assertThat(decoder.decode(packet(101, Packets.ipv6(CLIENT6, SERVER6, 17, new byte[8], 0, 60)))).isNull(); // UDP after options
        assertThat(decoder.decode(packet(276, Packets.sll2(0x0003, new byte[30])))).isNull();
        assertThat(decoder.counts()).isEqualTo(new PacketCounts(5, 0, 5, 0, 0));
    }

    @Test
    void ipFragmentsAreCountedNotDecoded() {
        assertThat(decoder.decode(packet(101, Packets.ipv4(CLIENT4, SERVER4, 6, new byte[0], 0x2000, SEGMENT)))).isNull(); // more fragments
        assertThat(decoder.decode(packet(101, Packets.ipv4(CLIENT4, SERVER4, 6, new byte[0], 185, new byte[16])))).isNull(); // offset 1480
        assertThat(decoder.decode(packet(101, Packets.ipv4(CLIENT4, SERVER4, 6, new byte[0], 0x4000, SEGMENT)))).isNotNull(); // don't fragment
        assertThat(decoder.decode(packet(101, Packets.ipv6(CLIENT6, SERVER6, 6, SEGMENT, 44)))).isNull();
        assertThat(decoder.decode(packet(101, Packets.ipv6(CLIENT6, SERVER6, 6, SEGMENT, 0, 44)))).isNull();
        assertThat(decoder.decode(packet(101, Packets.ipv6(CLIENT6, SERVER6, 17, new byte[8], 44)))).isNull(); // a UDP fragment
        assertThat(decoder.counts()).isEqualTo(new PacketCounts(6, 1, 1, 4, 0));
    }

    @Test
    void flagsAndUnsignedSequenceNumbers() {
        byte[] ip = Packets.ipv4(6, tcp(1, 65535, 0xfffffff0L, 0x80000000L, SYN | FIN | RST | ACK, new byte[0], new byte[0]));
        TcpSegment segment = decoder.decode(packet(101, ip));
        assertThat(segment.seq()).isEqualTo(0xfffffff0L);
        assertThat(segment.ack()).isEqualTo(0x80000000L);
        assertThat(List.of(segment.syn(), segment.fin(), segment.rst(), segment.ackFlag())).containsOnly(true);
        assertThat(segment.destination().getPort()).isEqualTo(65535);
        assertThat(segment.payloadLength()).isZero();

        TcpSegment bare = decoder.decode(packet(101, Packets.ipv4(6, tcp(1, 2, 3, 0, ascii("x")))));
        assertThat(List.of(bare.syn(), bare.fin(), bare.rst(), bare.ackFlag())).containsOnly(false);
    }

    @Test
    void anIpLengthOfZeroFromSegmentationOffloadIsTheCapturedLength() {
        byte[] ip = Packets.ipv4(6, SEGMENT);
        ip[2] = 0;
        ip[3] = 0;
        assertThat(payload(decoder.decode(packet(101, ip)))).isEqualTo(HELLO);
    }

    @Test
    void thePayloadIsAReadOnlySliceAndDetachedCopiesIt() {
        ByteBuffer data = ByteBuffer.wrap(Packets.ipv4(6, SEGMENT));
        TcpSegment segment = decoder.decode(new CapturedPacket().set(101, 0, 0, data, data.remaining(), 0));
        assertThat(segment.payload().isReadOnly()).isTrue();
        TcpSegment kept = segment.detached();
        data.put(data.limit() - 1, (byte) 0);
        assertThat(payload(segment)[HELLO.length - 1]).isZero();
        assertThat(payload(kept)).isEqualTo(HELLO);
    }

    @Test
    void anUnsupportedLinkTypeIsOneErrorNamingIt() {
        byte[] file = new CaptureFiles.Pcap(147).packet(new byte[40]).bytes();
        assertThatThrownBy(() -> {
            try (CaptureFileReader reader = CaptureFileReader.open(new ByteArrayInputStream(file))) {
                reader.readSegments(decoder, s -> {});
            }
        }).isInstanceOf(CaptureFileException.class).hasMessage(
                "link type 147 (USER0) is not supported: expected Ethernet, Linux cooked, loopback or raw IP (packet at byte 24)");
        assertThat(TcpDecoder.supports(147)).isFalse();
        assertThat(TcpDecoder.supports(LinkType.LINUX_SLL2)).isTrue();
    }

    @Test
    void aKnownEndpointIsTheSameObjectEachTime() {
        TcpSegment a = decoder.decode(packet(101, Packets.ipv6(6, SEGMENT)));
        TcpSegment b = decoder.decode(packet(101, Packets.ipv6(6, SEGMENT)));
        assertThat(b.source()).isSameAs(a.source());
        assertThat(b.destination()).isSameAs(a.destination());
    }

    @Test
    void aFlowKeyIsTheSameInBothDirectionsAndTellsWhichOneASegmentTakes() {
        TcpSegment request = decoder.decode(packet(101, Packets.ipv4(CLIENT4, SERVER4, 6, new byte[0], 0, tcp(40000, 5555, 1, ACK, HELLO))));
        TcpSegment reply = decoder.decode(packet(101, Packets.ipv4(SERVER4, CLIENT4, 6, new byte[0], 0, tcp(5555, 40000, 1, ACK, HELLO))));
        FlowKey flow = request.flow();
        assertThat(reply.flow()).isEqualTo(flow).hasSameHashCodeAs(flow);
        assertThat(flow.fromFirst(request)).isNotEqualTo(flow.fromFirst(reply));
        assertThat(flow.peerOf(request.source())).isEqualTo(request.destination());
        assertThat(new FlowKey(endpoint(CLIENT4, 1), endpoint(CLIENT4, 2))).isEqualTo(new FlowKey(endpoint(CLIENT4, 2), endpoint(CLIENT4, 1)));
    }
}
