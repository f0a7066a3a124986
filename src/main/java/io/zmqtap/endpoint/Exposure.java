package io.zmqtap.endpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Who can reach a socket zmqtap binds: loopback only, or other machines too. Pure: it reads the
 * endpoint as written and resolves no name (a host name other than {@code localhost} counts as
 * reachable from elsewhere, the safe guess).
 *
 * <p>Usage:
 * <pre>{@code
 * Exposure.warning(Endpoint.parse("@tcp://*:7777"), Exposure.CAPTURE_FEED, false)
 *     // Optional[capture feed tcp://*:7777 is reachable from other machines without CURVE: ...]
 * Exposure.loopbackControl("@tcp://*:6000")          // "@tcp://127.0.0.1:6000"
 * }</pre>
 */
public final class Exposure {
    /** The capture feed, and what whoever reaches it gets. */
    public static final String CAPTURE_FEED = "capture feed %s is reachable from other machines without CURVE: "
            + "whoever connects reads every message forwarded (bind 127.0.0.1, or use --mon-curve with --allow)";
    /** The capture feed served with PLAIN, whose passwords and messages travel in clear. */
    public static final String CAPTURE_FEED_PLAIN = "capture feed %s is reachable from other machines with PLAIN, "
            + "not CURVE: its passwords and every message forwarded cross the network in clear (bind 127.0.0.1, or "
            + "use --mon-curve with --allow)";
    /** The control socket served with PLAIN. */
    public static final String CONTROL_SOCKET_PLAIN = "control socket %s is reachable from other machines with PLAIN, "
            + "not CURVE: its passwords cross the network in clear, and whoever reads one can PAUSE, RESUME or "
            + "TERMINATE the proxy (bind 127.0.0.1, or use --control-curve)";
    /** The control socket, and what whoever reaches it can do. */
    public static final String CONTROL_SOCKET = "control socket %s is reachable from other machines without CURVE: "
            + "whoever connects can PAUSE, RESUME or TERMINATE the proxy (bind 127.0.0.1, or use --control-curve)";

    private Exposure() {}

    /**
     * One warning line when {@code endpoint} binds a TCP address other machines can reach and
     * {@code curve} is false; empty for loopback, ipc, inproc, a connect, or with CURVE.
     *
     * @param what what is exposed, with {@code %s} where the address goes: {@link #CAPTURE_FEED},
     *             {@link #CONTROL_SOCKET}
     */
    public static Optional<String> warning(Endpoint endpoint, String what, boolean curve) {
        if (curve || !endpoint.bind() || !endpoint.address().startsWith("tcp://") || loopback(host(endpoint))) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, what, endpoint.address()));
    }

    /**
     * The control endpoints with every bind on all interfaces ({@code *}) narrowed to 127.0.0.1:
     * the control socket can stop the proxy, so a habitual {@code @tcp://*:6000} stays on this
     * machine. An address written out ({@code 0.0.0.0}, an interface's address) binds as written.
     *
     * @param endpoints a comma-separated list, as {@code --control} takes it
     */
    public static String loopbackControl(String endpoints) {
        List<String> out = new ArrayList<>();
        for (Endpoint e : Endpoint.parseList(endpoints)) {
            boolean everywhere = e.bind() && e.address().startsWith("tcp://*:");
            out.add(everywhere ? "@tcp://127.0.0.1:" + e.address().substring("tcp://*:".length()) : e.toString());
        }
        return String.join(",", out);
    }

    /** The host of a {@code tcp://host:port} address, without IPv6 brackets, lower case. */
    static String host(Endpoint e) {
        String hostPort = e.address().substring("tcp://".length());
        String host = hostPort.substring(0, hostPort.lastIndexOf(':'));
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.toLowerCase(Locale.ROOT);
    }

    /** True for a loopback host as written: localhost, 127.0.0.0/8, ::1. */
    static boolean loopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1")
                || host.equals("0:0:0:0:0:0:0:1");
    }
}
