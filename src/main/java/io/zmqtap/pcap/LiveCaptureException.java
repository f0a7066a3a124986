package io.zmqtap.pcap;

import io.zmqtap.ZmqTapException;
import java.util.List;
import java.util.Locale;

/**
 * A live capture that cannot start or stopped on an error, in one sentence that says what to do:
 * no privilege, no such interface, no libpcap, a filter libpcap rejects.
 *
 * <p>Usage: {@code throw LiveCaptureException.openFailed("lo", e.getMessage());}
 */
public final class LiveCaptureException extends ZmqTapException {
    /** The command that grants the capture privilege to the java binary once. */
    public static final String SETCAP = "sudo setcap cap_net_raw,cap_net_admin+eip $(readlink -f $(which java))";

    public LiveCaptureException(String message) {
        super(message);
    }

    public LiveCaptureException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Capturing needs a privilege this process lacks. */
    public static LiveCaptureException notPermitted(String iface) {
        return new LiveCaptureException("capturing on " + iface + " needs root or CAP_NET_RAW: run as root, "
                + "or grant it once with " + SETCAP);
    }

    /** No interface of that name; {@code known} are those libpcap sees. */
    public static LiveCaptureException unknownInterface(String iface, List<String> known) {
        return new LiveCaptureException("no interface named '" + iface + "': pcap sees "
                + (known.isEmpty() ? "none (is this process allowed to list them?)" : String.join(", ", known)));
    }

    /** libpcap itself could not be loaded. */
    public static LiveCaptureException noLibpcap(Throwable cause) {
        return new LiveCaptureException("live capture needs libpcap, which could not be loaded: install it "
                + "(Debian, Ubuntu: sudo apt-get install libpcap0.8)", cause);
    }

    /** libpcap rejected the filter. */
    public static LiveCaptureException badFilter(String filter, String nativeMessage) {
        return new LiveCaptureException("bad capture filter '" + filter + "': " + oneLine(nativeMessage));
    }

    /**
     * Opening {@code iface} failed with libpcap's {@code nativeMessage}: no privilege, no such
     * device, or anything else as libpcap says it.
     */
    public static LiveCaptureException openFailed(String iface, String nativeMessage, List<String> known) {
        String m = nativeMessage == null ? "" : nativeMessage.toLowerCase(Locale.ROOT);
        if (m.contains("operation not permitted") || m.contains("permission")) {
            return notPermitted(iface);
        }
        if (m.contains("no such device") || m.contains("doesn't exist")) {
            return unknownInterface(iface, known);
        }
        return new LiveCaptureException("cannot capture on " + iface + ": " + oneLine(nativeMessage));
    }

    private static String oneLine(String s) {
        return s == null ? "(no reason given)" : s.strip().replace('\n', ' ');
    }
}
