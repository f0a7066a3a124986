package io.zmqtap.pcap;

import static io.zmqtap.pcap.CaptureFileException.bytes;

import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * Turns captured packets into {@link TcpSegment}s: the link layer (see {@link LinkType}), then
 * IPv4 (options skipped) or IPv6 (hop-by-hop, routing, destination options and authentication
 * headers skipped), then TCP. What is not a TCP segment is skipped and counted ({@link #counts()}):
 * other protocols, IP fragments (no IP reassembly), headers cut short or malformed.
 *
 * <p>Lengths come from the IP header, not from the capture: Ethernet padding is not payload,
 * and a packet cut by the snapshot length gives a segment whose captured payload is shorter than
 * its {@link TcpSegment#payloadLength()}. An IP length of 0 (a segmentation-offload packet captured
 * before the NIC split it) is taken from the packet's original length. Reads only; the segment's
 * payload is a read-only view of the packet's data, not a copy ({@link #decode}: a segment and a
 * slice of its own; {@link #decodeView}: one segment and one view, reused packet after packet).
 *
 * <p>Usage:
 * <pre>{@code
 * TcpDecoder tcp = new TcpDecoder();
 * TcpSegment segment = tcp.decode(packet); // null: skipped, counted
 * }</pre>
 */
public final class TcpDecoder {
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86dd;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88a8;
    private static final int ETHERTYPE_QINQ_OLD = 0x9100;
    private static final int PROTOCOL_TCP = 6;
    private static final int MAX_EXTENSION_HEADERS = 16;
    /** The result of a link layer that carries no IP packet. */
    private static final int NOT_IP = -1;
    private static final int CUT = -2;

    private final EndpointCache endpoints = new EndpointCache();
    /** {@link #decodeView}'s segment, refilled for every packet. */
    private final TcpSegment view = new TcpSegment();
    /** The packet buffer {@link #payloadView} looks into, and that read-only view, moved for every packet. */
    private ByteBuffer viewedBuffer;
    private ByteBuffer payloadView;
    private long packets;
    private long segments;
    private long nonTcp;
    private long fragments;
    private long unreadable;

    /** True for the link types {@link #decode} reads; others end the reading with one error. */
    public static boolean supports(int linkType) {
        return LinkType.isSupported(linkType);
    }

    /**
     * The TCP segment in {@code packet}, or null when it holds none (counted).
     *
     * @throws CaptureFileException for a link type this decoder does not read
     */
    public TcpSegment decode(CapturedPacket packet) {
        return decode(packet, null);
    }

    /**
     * As {@link #decode}, into one segment this decoder reuses for every packet, whose payload is a
     * reused view into the packet's buffer: no object per packet but its time. Valid until the next
     * call; {@link TcpSegment#detached()} keeps one.
     *
     * <p>Usage: {@code TcpSegment s = tcp.decodeView(packet); if (s != null) reassembler.segment(s);}
     *
     * @throws CaptureFileException for a link type this decoder does not read
     */
    public TcpSegment decodeView(CapturedPacket packet) {
        return decode(packet, view);
    }

    /** Decodes into {@code into}, or into a new segment with a payload of its own when it is null. */
    private TcpSegment decode(CapturedPacket packet, TcpSegment into) {
        packets++;
        ByteBuffer d = packet.data();
        int from = d.position();
        int to = d.limit();
        int ip = linkLayer(packet.linkType(), packet, d, from, to);
        if (ip < 0) {
            if (ip == NOT_IP) {
                nonTcp++;
            } else {
                unreadable++;
            }
            return null;
        }
        if (ip >= to) {
            unreadable++;
            return null;
        }
        int version = (d.get(ip) & 0xff) >> 4;
        if (version == 4) {
            return ipv4(packet, d, ip, to, packet.originalLength() - (ip - from), into);
        }
        if (version == 6) {
            return ipv6(packet, d, ip, to, packet.originalLength() - (ip - from), into);
        }
        unreadable++;
        return null;
    }

    /** What was decoded so far. */
    public PacketCounts counts() {
        return new PacketCounts(packets, segments, nonTcp, fragments, unreadable);
    }

    /** The index of the IP header in {@code d}, or {@link #NOT_IP} / {@link #CUT}. */
    private static int linkLayer(int linkType, CapturedPacket packet, ByteBuffer d, int from, int to) {
        switch (linkType) {
            case LinkType.ETHERNET:
                return ethertype(d, from + 12, to);
            case LinkType.LINUX_SLL:
                return ethertype(d, from + 14, to);
            case LinkType.LINUX_SLL2:
                return to - from < 20 ? CUT : ipIfEthertypeIsIp(d.getShort(from) & 0xffff, from + 20);
            case LinkType.NULL:
            case LinkType.LOOP:
                return loopback(d, from, to);
            case LinkType.RAW:
            case LinkType.RAW_12:
            case LinkType.RAW_14:
            case LinkType.IPV4:
            case LinkType.IPV6:
                return from;
            default:
                throw new CaptureFileException(
                        LinkType.describe(linkType) + " is not supported: expected " + LinkType.SUPPORTED + " (packet at byte " + bytes(packet.fileOffset()) + ")",
                        packet.fileOffset());
        }
    }

    /** Reads the ethertype at {@code at}, stepping over 802.1Q / 802.1ad tags. */
    private static int ethertype(ByteBuffer d, int at, int to) {
        while (true) {
            if (at + 2 > to) {
                return CUT;
            }
            int type = d.getShort(at) & 0xffff;
            if (type != ETHERTYPE_VLAN && type != ETHERTYPE_QINQ && type != ETHERTYPE_QINQ_OLD) {
                return ipIfEthertypeIsIp(type, at + 2);
            }
            at += 4; // tag control information, then the next ethertype
        }
    }

    private static int ipIfEthertypeIsIp(int type, int next) {
        return type == ETHERTYPE_IPV4 || type == ETHERTYPE_IPV6 ? next : NOT_IP;
    }

    /**
     * BSD loopback: the address family in the capturing host's byte order. AF_INET is 2 everywhere;
     * AF_INET6 is 10 (Linux), 23 (Windows), 24 (NetBSD, OpenBSD), 28 (FreeBSD) or 30 (macOS).
     */
    private static int loopback(ByteBuffer d, int from, int to) {
        if (to - from < 4) {
            return CUT;
        }
        int family = d.getInt(from);
        if (family > 0xffff || family < 0) {
            family = Integer.reverseBytes(family);
        }
        switch (family) {
            case 2, 10, 23, 24, 28, 30:
                return from + 4;
            default:
                return NOT_IP;
        }
    }

    private TcpSegment ipv4(CapturedPacket packet, ByteBuffer d, int ip, int to, int originalIpLength, TcpSegment into) {
        if (ip + 20 > to) {
            unreadable++;
            return null;
        }
        int headerLength = (d.get(ip) & 0x0f) * 4;
        int totalLength = d.getShort(ip + 2) & 0xffff;
        if (totalLength == 0) { // segmentation offload: the real length is what was captured
            totalLength = originalIpLength;
        }
        if (headerLength < 20 || totalLength < headerLength || ip + headerLength > to) {
            unreadable++;
            return null;
        }
        if ((d.get(ip + 9) & 0xff) != PROTOCOL_TCP) {
            nonTcp++;
            return null;
        }
        if ((d.getShort(ip + 6) & 0x3fff) != 0) { // more fragments, or a fragment offset
            fragments++;
            return null;
        }
        return tcp(packet, d, ip + headerLength, to, ip + totalLength, ip + 12, false, into);
    }

    private TcpSegment ipv6(CapturedPacket packet, ByteBuffer d, int ip, int to, int originalIpLength, TcpSegment into) {
        if (ip + 40 > to) {
            unreadable++;
            return null;
        }
        int payloadLength = d.getShort(ip + 4) & 0xffff;
        int end = payloadLength == 0 ? ip + originalIpLength : ip + 40 + payloadLength; // 0: jumbogram or offload
        int next = d.get(ip + 6) & 0xff;
        int at = ip + 40;
        for (int i = 0; next != PROTOCOL_TCP; i++) {
            if (i == MAX_EXTENSION_HEADERS || at + 2 > to) {
                unreadable++;
                return null;
            }
            switch (next) {
                case 0: // hop-by-hop options
                case 43: // routing
                case 60: // destination options
                    next = d.get(at) & 0xff;
                    at += ((d.get(at + 1) & 0xff) + 1) * 8;
                    break;
                case 51: // authentication header
                    next = d.get(at) & 0xff;
                    at += ((d.get(at + 1) & 0xff) + 2) * 4;
                    break;
                case 44: // fragment
                    if ((d.get(at) & 0xff) == PROTOCOL_TCP) {
                        fragments++;
                    } else {
                        nonTcp++;
                    }
                    return null;
                default:
                    nonTcp++;
                    return null;
            }
        }
        if (at > end) {
            unreadable++;
            return null;
        }
        return tcp(packet, d, at, to, end, ip + 8, true, into);
    }

    /**
     * The TCP header at {@code tcp}; the IP packet really ends at {@code ipEnd}, the capture at
     * {@code to}; the source address at {@code addresses}, the destination right after it.
     */
    private TcpSegment tcp(CapturedPacket packet, ByteBuffer d, int tcp, int to, int ipEnd, int addresses, boolean v6, TcpSegment into) {
        if (tcp + 20 > to) {
            unreadable++;
            return null;
        }
        int headerLength = ((d.get(tcp + 12) & 0xff) >> 4) * 4;
        if (headerLength < 20 || tcp + headerLength > to || tcp + headerLength > ipEnd) {
            unreadable++;
            return null;
        }
        EndpointPair pair = endpoints.pair(d, addresses, v6, d.getInt(tcp));
        int flags = d.get(tcp + 13) & 0xff;
        int payload = tcp + headerLength;
        int captured = Math.min(ipEnd, to) - payload;
        ByteBuffer bytes;
        TcpSegment segment;
        if (into == null) {
            bytes = d.slice(payload, captured);
            if (!bytes.isReadOnly()) {
                bytes = bytes.asReadOnlyBuffer();
            }
            segment = new TcpSegment();
        } else {
            if (d != viewedBuffer) { // a file reader shows every packet through one buffer
                viewedBuffer = d;
                payloadView = d.asReadOnlyBuffer();
            }
            bytes = payloadView.clear().position(payload).limit(payload + captured);
            segment = into;
        }
        segments++;
        segment.set(
                Instant.ofEpochSecond(packet.epochSecond(), packet.nanos()),
                pair.source,
                pair.destination,
                d.getInt(tcp + 4) & 0xffffffffL,
                d.getInt(tcp + 8) & 0xffffffffL,
                (flags & 0x02) != 0,
                (flags & 0x01) != 0,
                (flags & 0x04) != 0,
                (flags & 0x10) != 0,
                bytes,
                ipEnd - payload,
                packet.fileOffset());
        segment.pair(pair);
        return segment;
    }
}
