package io.zmqtap.pcap;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * Socket addresses as events show them: {@code 127.0.0.1:53122}, and IPv6 in brackets with the
 * shortest form of RFC 5952, {@code [::1]:5555} or {@code [fe80::1]:5555} (Java's own text is
 * {@code 0:0:0:0:0:0:0:1} and may carry a scope).
 *
 * <p>Usage: {@code Addresses.text(new InetSocketAddress("::1", 5555)) // "[::1]:5555"}
 */
final class Addresses {
    private Addresses() {}

    static String text(InetSocketAddress address) {
        if (address.getAddress() instanceof Inet6Address v6) {
            return "[" + ipv6(v6.getAddress()) + "]:" + address.getPort();
        }
        if (address.getAddress() == null) {
            return address.getHostString() + ":" + address.getPort();
        }
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** RFC 5952: lower-case hex groups without leading zeros, the longest run (two or more) of zero groups as {@code ::}. */
    static String ipv6(byte[] a) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (a[2 * i] & 0xff) << 8 | (a[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not shortened
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder s = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLength - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(groups[i]));
        }
        return s.toString();
    }
}
