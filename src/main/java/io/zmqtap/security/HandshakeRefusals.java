package io.zmqtap.security;

import io.zmqtap.endpoint.HandshakeWatchdog;
import io.zmqtap.endpoint.Notices;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.zeromq.ZMQ;

/**
 * Watches the handshakes of a socket that connects as a CURVE or PLAIN client (a queue's backend
 * with {@code --out-curve} or {@code --out-plain}) and says when its server refuses it, instead of
 * the silence JeroMQ 0.6.0 leaves:
 * <ul>
 *   <li>A server that refuses the client (its ZAP handler says 300, 400 or 500) sends an
 *       {@code ERROR} command; JeroMQ reports it as a failed authentication and then never dials
 *       that server again. A notice names the server, the key or user, and the status; the
 *       endpoint is redialled after {@link #REDIAL_NANOS}, so a server that allows the key later is
 *       reached without restarting.</li>
 *   <li>A refused PLAIN client gets no such report: JeroMQ's PLAIN client takes an {@code ERROR}
 *       in place of {@code WELCOME} as a protocol error (and prints {@code PLAIN Client I: invalid
 *       handshake command} on System.out, which ZmqTap.main sends to stderr), closes, and does not
 *       dial again either. A connection that closed and is not redialled within
 *       {@link #REDIAL_NANOS} is reported as closed during the handshake and redialled.</li>
 *   <li>A server that cannot read the client's CURVE {@code HELLO} (the client has the wrong
 *       server key) just closes; JeroMQ redials at once, for ever. {@link #SHORT_LIVED} such short
 *       connections in a row are reported.</li>
 * </ul>
 * Fed with the socket's monitor events ({@link #EVENTS}) on the thread that owns the socket, which
 * also redials: a {@link HandshakeWatchdog} observer. Repeats are summed up by {@link Notices}.
 *
 * <pre>{@code
 * HandshakeRefusals refusals = new HandshakeRefusals("backend", security, List.of("tcp://10.0.0.5:5556"),
 *         notices, endpoint -> { socket.disconnect(endpoint); socket.connect(endpoint); });
 * HandshakeWatchdog watch = HandshakeWatchdog.watch(context, socket, 0, refusals); // before connect
 * ... watch.check(); // now and then, on the socket's thread
 * }</pre>
 */
public final class HandshakeRefusals implements HandshakeWatchdog.Observer {
    /** The monitor events this needs. */
    public static final int EVENTS = ZMQ.EVENT_CONNECTED | ZMQ.EVENT_CONNECT_RETRIED | ZMQ.EVENT_CONNECT_DELAYED
            | ZMQ.EVENT_DISCONNECTED | zmq.ZMQ.ZMQ_EVENT_HANDSHAKE_FAILED_AUTH | zmq.ZMQ.ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL;
    /** How long after a close JeroMQ has to dial again before it is taken to have given up (it redials in 100 ms). */
    public static final long REDIAL_NANOS = 1_000_000_000L;
    /** Connections in a row that close this soon after opening before the server is said to close them all. */
    public static final int SHORT_LIVED = 3;
    private static final long SHORT_NANOS = 500_000_000L;

    private final String role;
    private final SocketSecurity security;
    private final List<String> endpoints;
    private final Notices notices;
    private final Consumer<String> redial;
    private final Map<String, Dial> dials = new HashMap<>();
    private long refusals;

    /** What is known of one server address's connections. */
    private static final class Dial {
        long openedAt;
        /** When to redial, if JeroMQ has not by then; 0 when it is dialling. */
        long redialAt;
        /** The server's refusal was reported for the connection that closed. */
        boolean reported;
        int shortLived;
    }

    /**
     * @param role the socket, as notices name it, e.g. {@code backend}
     * @param security what the socket speaks (a client)
     * @param endpoints the addresses it connects to, as given to {@code connect}
     * @param redial disconnects and connects one of {@code endpoints} again, on the socket's thread
     */
    public HandshakeRefusals(String role, SocketSecurity security, List<String> endpoints, Notices notices,
                             Consumer<String> redial) {
        this.role = role;
        this.security = security;
        this.endpoints = List.copyOf(endpoints);
        this.notices = notices;
        this.redial = redial;
    }

    @Override
    public int events() {
        return EVENTS;
    }

    /** Refusals seen so far (reported ones: failed authentication, or a close JeroMQ gave up after). */
    public long refusals() {
        return refusals;
    }

    /** One monitor event of the socket; {@code now} in {@link System#nanoTime()} terms. */
    @Override
    public void event(ZMQ.Event e, long now) {
        String address = e.getAddress();
        Dial d = dials.computeIfAbsent(address, k -> new Dial());
        int kind = e.getEvent();
        if (kind == ZMQ.EVENT_CONNECTED) {
            d.openedAt = now;
            d.redialAt = 0;
            d.reported = false;
        } else if (kind == ZMQ.EVENT_CONNECT_DELAYED) {
            d.redialAt = 0;
        } else if (kind == ZMQ.EVENT_CONNECT_RETRIED) {
            d.redialAt = 0;
            if (d.shortLived == SHORT_LIVED) { // JeroMQ keeps redialling a server that keeps closing
                notices.report(role + ": servers close every " + security.mechanism() + " connection during the "
                        + "handshake", role + ": " + address + " closed " + SHORT_LIVED + " connections in a row "
                        + "during the " + security.mechanism() + " handshake " + closeHint());
            }
        } else if (kind == zmq.ZMQ.ZMQ_EVENT_HANDSHAKE_FAILED_AUTH) {
            refused(d, "refused " + who(), address + " refused " + who() + " (ZAP status " + e.getValue() + ": "
                    + status(String.valueOf(e.getValue())) + ")");
        } else if (kind == zmq.ZMQ.ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL) {
            refused(d, "broke off the " + security.mechanism() + " handshake",
                    address + " broke off the " + security.mechanism() + " handshake (a protocol error)");
        } else if (kind == ZMQ.EVENT_DISCONNECTED) {
            d.redialAt = now + REDIAL_NANOS;
            d.shortLived = now - d.openedAt < SHORT_NANOS ? d.shortLived + 1 : 0;
        }
    }

    /** Redials the servers JeroMQ gave up on; call now and then from the socket's thread. */
    @Override
    public void tick(long now) {
        for (Map.Entry<String, Dial> entry : dials.entrySet()) {
            Dial d = entry.getValue();
            if (d.redialAt == 0 || now < d.redialAt) {
                continue;
            }
            d.redialAt = 0;
            if (!d.reported) {
                String during = d.shortLived > 0 ? " during the " + security.mechanism() + " handshake" : "";
                // a close long after the handshake is not a refusal, but JeroMQ gave up all the same
                refused(d, "closed the connection" + during, entry.getKey() + " closed the connection" + during
                        + (during.isEmpty() ? "" : " " + closeHint()) + ", and JeroMQ does not dial it again");
            }
            String endpoint = endpointOf(entry.getKey());
            if (endpoint != null) {
                redial.accept(endpoint);
            }
        }
    }

    /** Counts and reports a refusal: {@code kind} sums up repeats, {@code line} is the notice shown. */
    private void refused(Dial d, String kind, String line) {
        refusals++;
        d.reported = true;
        notices.report(role + ": a server " + kind, role + ": " + line + "; dialling it again every "
                + REDIAL_NANOS / 1_000_000_000L + " s");
    }

    private String who() {
        return security.mechanism() == SocketSecurity.Mechanism.CURVE ? "the CURVE key " + security.publicKey()
                : "the PLAIN user '" + security.username() + "'";
    }

    private String closeHint() {
        return security.mechanism() == SocketSecurity.Mechanism.CURVE
                ? "(a wrong server public key, or a server without CURVE?)"
                : "(a wrong user name or password? a PLAIN server closes a client it refuses)";
    }

    /** What a ZAP status code means (RFC 27). */
    private static String status(String code) {
        if (code.startsWith("3")) {
            return "try again later";
        }
        if (code.startsWith("4")) {
            return "not allowed";
        }
        return code.startsWith("5") ? "the server's authenticator failed" : "unknown status";
    }

    /**
     * The endpoint as connected for a monitor event's address: JeroMQ reports the resolved one
     * ({@code tcp://127.0.0.1:5556} for {@code tcp://localhost:5556}), and only the connected string disconnects.
     */
    String endpointOf(String address) {
        if (endpoints.contains(address)) {
            return address;
        }
        if (endpoints.size() == 1) {
            return endpoints.get(0);
        }
        for (String endpoint : endpoints) {
            if (resolvesTo(endpoint, address)) {
                return endpoint;
            }
        }
        return null;
    }

    private static boolean resolvesTo(String endpoint, String address) {
        int scheme = endpoint.indexOf("://");
        int colon = endpoint.lastIndexOf(':');
        if (scheme < 0 || colon <= scheme + 3 || !address.endsWith(endpoint.substring(colon))) {
            return false;
        }
        String host = endpoint.substring(scheme + 3, colon).replace("[", "").replace("]", "");
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (address.contains(a.getHostAddress())) {
                    return true;
                }
            }
        } catch (UnknownHostException e) {
            return false;
        }
        return false;
    }
}
