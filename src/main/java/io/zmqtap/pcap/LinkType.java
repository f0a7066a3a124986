package io.zmqtap.pcap;

/**
 * The link types ({@code LINKTYPE_} values of tcpdump.org's list) that {@link TcpDecoder} reads,
 * and the names of common others for error messages.
 *
 * <pre>
 *   0 NULL         BSD loopback: 4-byte address family in the capturing host's byte order
 *   1 ETHERNET     6 dst, 6 src, ethertype (802.1Q / 802.1ad tags of 4 bytes each before it)
 *  12 RAW_12, 14 RAW_14, 101 RAW: an IP packet, version in its first nibble
 * 108 LOOP         as NULL, big-endian (OpenBSD)
 * 113 LINUX_SLL    16 bytes: packet type, ARPHRD, address length, 8 address bytes, protocol
 * 228 IPV4, 229 IPV6: raw IP of one version
 * 276 LINUX_SLL2   20 bytes: protocol, reserved, interface index, ARPHRD, packet type, address length, 8 address bytes
 * </pre>
 */
public final class LinkType {
    public static final int NULL = 0;
    public static final int ETHERNET = 1;
    public static final int RAW_12 = 12;
    public static final int RAW_14 = 14;
    public static final int RAW = 101;
    public static final int LOOP = 108;
    public static final int LINUX_SLL = 113;
    public static final int IPV4 = 228;
    public static final int IPV6 = 229;
    public static final int LINUX_SLL2 = 276;

    /** What the decoder reads, as an error message says it. */
    static final String SUPPORTED = "Ethernet, Linux cooked, loopback or raw IP";

    private LinkType() {}

    /** True for the link types {@link TcpDecoder} turns into IP packets. */
    public static boolean isSupported(int linkType) {
        switch (linkType) {
            case NULL, ETHERNET, RAW_12, RAW_14, RAW, LOOP, LINUX_SLL, IPV4, IPV6, LINUX_SLL2:
                return true;
            default:
                return false;
        }
    }

    /** The link type's short name ({@code ETHERNET}, {@code USER0}), or {@code unknown}. */
    public static String name(int linkType) {
        if (linkType >= 147 && linkType <= 162) {
            return "USER" + (linkType - 147);
        }
        switch (linkType) {
            case NULL: return "NULL";
            case ETHERNET: return "ETHERNET";
            case 6: return "IEEE802_5";
            case 9: return "PPP";
            case 10: return "FDDI";
            case RAW_12: case RAW_14: case RAW: return "RAW";
            case 50: return "PPP_HDLC";
            case 51: return "PPP_ETHER";
            case 104: return "C_HDLC";
            case 105: return "IEEE802_11";
            case LOOP: return "LOOP";
            case LINUX_SLL: return "LINUX_SLL";
            case 119: return "IEEE802_11_PRISM";
            case 127: return "IEEE802_11_RADIOTAP";
            case 189: return "USB_LINUX";
            case 192: return "PPI";
            case 195: return "IEEE802_15_4_WITHFCS";
            case 201: return "BLUETOOTH_HCI_H4_WITH_PHDR";
            case 220: return "USB_LINUX_MMAPPED";
            case IPV4: return "IPV4";
            case IPV6: return "IPV6";
            case 231: return "DBUS";
            case 249: return "USBPCAP";
            case 253: return "NETLINK";
            case LINUX_SLL2: return "LINUX_SLL2";
            default: return "unknown";
        }
    }

    /** {@code link type 147 (USER0)}. */
    static String describe(int linkType) {
        return "link type " + linkType + " (" + name(linkType) + ")";
    }
}
