package io.zmqtap.pcap;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds the packets of the tests layer by layer: TCP, then IP, then a link layer. */
final class Packets {
    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int PSH = 0x08;
    static final int ACK = 0x10;

    static final byte[] CLIENT4 = {10, 0, 0, 1};
    static final byte[] SERVER4 = {10, 0, 0, 2};
    static final byte[] CLIENT6 = address("2001:db8::1");
    static final byte[] SERVER6 = address("2001:db8::2");

    private Packets() {}

    static byte[] address(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A TCP header (with {@code options}, a multiple of 4 bytes) and payload. */
    static byte[] tcp(int sourcePort, int destinationPort, long seq, long ack, int flags, byte[] options, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + options.length + payload.length);
        b.putShort((short) sourcePort).putShort((short) destinationPort).putInt((int) seq).putInt((int) ack);
        b.put((byte) ((5 + options.length / 4) << 4)).put((byte) flags).putShort((short) 65535);
        b.putShort((short) 0).putShort((short) 0).put(options).put(payload);
        return b.array();
    }

    static byte[] tcp(int sourcePort, int destinationPort, long seq, int flags, byte[] payload) {
        return tcp(sourcePort, destinationPort, seq, 0, flags, new byte[0], payload);
    }

    /** An IPv4 packet; {@code fragment} is the flags-and-offset field (0x2000 = more fragments). */
    static byte[] ipv4(byte[] source, byte[] destination, int protocol, byte[] options, int fragment, byte[] payload) {
        int header = 20 + options.length;
        ByteBuffer b = ByteBuffer.allocate(header + payload.length);
        b.put((byte) (0x40 | header / 4)).put((byte) 0).putShort((short) (header + payload.length));
        b.putShort((short) 1).putShort((short) fragment).put((byte) 64).put((byte) protocol).putShort((short) 0);
        b.put(source).put(destination).put(options).put(payload);
        return b.array();
    }

    static byte[] ipv4(int protocol, byte[] payload) {
        return ipv4(CLIENT4, SERVER4, protocol, new byte[0], 0, payload);
    }

    /**
     * An IPv6 packet with the given extension headers before the payload: 0 hop-by-hop, 43
     * routing, 60 destination options (8 bytes each), 51 authentication (12 bytes), 44 fragment.
     */
    static byte[] ipv6(byte[] source, byte[] destination, int protocol, byte[] payload, int... extensions) {
        ByteArrayOutputStream chain = new ByteArrayOutputStream();
        for (int i = 0; i < extensions.length; i++) {
            int next = i + 1 < extensions.length ? extensions[i + 1] : protocol;
            switch (extensions[i]) {
                case 44 -> chain.writeBytes(new byte[] {(byte) next, 0, 0, 0, 0, 0, 0, 7});
                case 51 -> chain.writeBytes(new byte[] {(byte) next, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1});
                default -> chain.writeBytes(new byte[] {(byte) next, 0, 1, 4, 0, 0, 0, 0}); // PadN option
            }
        }
        byte[] headers = chain.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(40 + headers.length + payload.length);
        b.putInt(0x60000000).putShort((short) (headers.length + payload.length));
        b.put((byte) (extensions.length > 0 ? extensions[0] : protocol)).put((byte) 64);
        b.put(source).put(destination).put(headers).put(payload);
        return b.array();
    }

    static byte[] ipv6(int protocol, byte[] payload) {
        return ipv6(CLIENT6, SERVER6, protocol, payload);
    }

    /** An Ethernet frame; {@code tags} are the TPIDs of VLAN tags before the ethertype (0x8100, 0x88a8). */
    static byte[] ethernet(int ethertype, byte[] payload, int... tags) {
        ByteBuffer b = ByteBuffer.allocate(14 + 4 * tags.length + payload.length);
        b.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1});
        for (int tag : tags) {
            b.putShort((short) tag).putShort((short) 42);
        }
        b.putShort((short) ethertype).put(payload);
        return b.array();
    }

    /** Linux cooked v1: 16 bytes, the protocol last. */
    static byte[] sll(int protocol, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(16 + payload.length);
        b.putShort((short) 0).putShort((short) 772).putShort((short) 6).put(new byte[8]).putShort((short) protocol).put(payload);
        return b.array();
    }

    /** Linux cooked v2: 20 bytes, the protocol first. */
    static byte[] sll2(int protocol, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
        b.putShort((short) protocol).putShort((short) 0).putInt(1).putShort((short) 772).put((byte) 0).put((byte) 6).put(new byte[8]).put(payload);
        return b.array();
    }

    /** BSD loopback: the address family in {@code order}. */
    static byte[] loopback(int family, ByteOrder order, byte[] payload) {
        return ByteBuffer.allocate(4 + payload.length).order(order).putInt(family).put(payload).array();
    }

    /** {@code ip} (IPv4 or IPv6, by its first nibble) framed for {@code linkType}. */
    static byte[] framed(int linkType, byte[] ip) {
        boolean v6 = (ip[0] & 0xf0) == 0x60;
        int ethertype = v6 ? 0x86dd : 0x0800;
        return switch (linkType) {
            case LinkType.ETHERNET -> ethernet(ethertype, ip);
            case LinkType.LINUX_SLL -> sll(ethertype, ip);
            case LinkType.LINUX_SLL2 -> sll2(ethertype, ip);
            case LinkType.NULL -> loopback(v6 ? 30 : 2, ByteOrder.LITTLE_ENDIAN, ip);
            case LinkType.LOOP -> loopback(v6 ? 24 : 2, ByteOrder.BIG_ENDIAN, ip);
            default -> ip;
        };
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] ascii(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
