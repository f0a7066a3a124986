package io.zmqtap.feed;

import io.zmqtap.endpoint.Notices;
import io.zmqtap.security.HandshakeRefusals;
import io.zmqtap.security.SocketSecurity;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Keeps a feed subscriber's outgoing connections alive, following its socket's monitor events.
 *
 * <p>Two ways JeroMQ 0.6.0 leaves a connecting socket without its connection for good:
 * <ul>
 *   <li>A frame over the socket's {@code ZMQ_MAXMSGSIZE} (what keeps a feed's memory bounded) is a
 *       protocol error, and after a protocol error JeroMQ closes the connection and never opens it
 *       again: events {@code DISCONNECTED} and nothing more. A connection lost for any other reason
 *       is followed at once by {@code CONNECT_RETRIED}. So a disconnection without a retry is
 *       reconnected here, and reported once through {@code notices}.</li>
 *   <li>A connection that completed its TCP connect but never its handshake (JeroMQ's connect race,
 *       see {@link io.zmqtap.endpoint.HandshakeWatchdog}) is reconnected after {@code stallMillis};
 *       only for SUB and XSUB, whose subscriptions rule out the handshake timer other sockets use.</li>
 * </ul>
 * This does the watchdog's job too because a socket has only one monitor.
 *
 * <p>Not thread-safe: call {@link #check()} from the thread that owns the socket.
 *
 * <pre>{@code
 * FeedConnections connections = FeedConnections.watch(context, socket, Set.of("tcp://localhost:7777"), 500,
 *         notice -> System.err.println(notice));
 * socket.connect("tcp://localhost:7777");
 * while (running) { ... connections.check(); ... }
 * }</pre>
 */
final class FeedConnections implements AutoCloseable {
    /** How long a disconnection may wait for JeroMQ's own retry before it counts as for good. */
    static final long RETRY_GRACE_MILLIS = 200;
    private static final AtomicLong IDS = new AtomicLong();

    private final ZMQ.Socket socket;
    private final ZMQ.Socket events;
    private final Set<String> connected;
    private final boolean restartStalls;
    private final long stallNanos;
    private final String limit;
    private final Consumer<String> notices;
    private final Map<String, Long> handshaking = new HashMap<>();
    private final Set<String> up = new HashSet<>();
    private final Map<String, Long> lost = new HashMap<>();
    private final Set<String> reported = new HashSet<>();
    /** Says when a CURVE or PLAIN feed refuses this subscriber, and dials it again; null for NULL. */
    private HandshakeRefusals refusals;
    /** Sums up repeated refusals (a refusing feed is dialled every second). */
    private Notices refusalNotices;
    private volatile long drops;

    private FeedConnections(ZMQ.Socket socket, ZMQ.Socket events, Set<String> connected, long stallMillis,
                            String limit, Consumer<String> notices) {
        this.socket = socket;
        this.events = events;
        this.connected = Set.copyOf(connected);
        SocketType type = socket.getSocketType();
        this.restartStalls = type == SocketType.SUB || type == SocketType.XSUB;
        this.stallNanos = stallMillis * 1_000_000L;
        this.limit = limit;
        this.notices = notices;
    }

    /**
     * Starts watching {@code socket}; call before it connects.
     *
     * @param connected the addresses it will connect to, e.g. {@code tcp://localhost:7777}
     * @param limit the frame size limit as people read it, e.g. {@code 128 KiB}, for the notice
     */
    static FeedConnections watch(ZContext context, ZMQ.Socket socket, Set<String> connected, long stallMillis,
                                 String limit, Consumer<String> notices) {
        return watch(context, socket, connected, stallMillis, limit, notices, null);
    }

    /**
     * As {@link #watch(ZContext, ZMQ.Socket, Set, long, String, Consumer)}, for a subscriber that is
     * a CURVE or PLAIN client ({@code security}, or null): a feed that refuses it is said once, as
     * {@code watcher: tcp://… refused the CURVE key … (ZAP status 400: not allowed)}, and dialled
     * again every second (JeroMQ would not), so a key allowed later gets through without a restart.
     */
    static FeedConnections watch(ZContext context, ZMQ.Socket socket, Set<String> connected, long stallMillis,
                                 String limit, Consumer<String> notices, SocketSecurity security) {
        String address = "inproc://zmqtap-feed-connections-" + IDS.incrementAndGet();
        boolean client = security != null && !security.server();
        socket.monitor(address, ZMQ.EVENT_CONNECTED | ZMQ.EVENT_HANDSHAKE_PROTOCOL | ZMQ.EVENT_DISCONNECTED
                | ZMQ.EVENT_CONNECT_RETRIED | ZMQ.EVENT_CLOSED | (client ? HandshakeRefusals.EVENTS : 0));
        ZMQ.Socket events = context.createSocket(SocketType.PAIR);
        events.setLinger(0);
        events.connect(address);
        FeedConnections c = new FeedConnections(socket, events, connected, stallMillis, limit, notices);
        if (client) {
            c.refusalNotices = new Notices(notices);
            c.refusals = new HandshakeRefusals("watcher", security, List.copyOf(connected), c.refusalNotices,
                    endpoint -> {
                        socket.disconnect(endpoint);
                        socket.connect(endpoint);
                    });
        }
        return c;
    }

    /** Reads pending events and reconnects what JeroMQ gave up on or left stalled. */
    void check() {
        long now = System.nanoTime();
        ZMQ.Event e;
        while ((e = ZMQ.Event.recv(events, ZMQ.DONTWAIT)) != null) {
            if (refusals != null) {
                refusals.event(e, now);
            }
            String address = e.getAddress();
            int event = e.getEvent();
            if (event == ZMQ.EVENT_CONNECTED) {
                handshaking.put(address, now);
            } else if (event == ZMQ.EVENT_HANDSHAKE_PROTOCOL) {
                handshaking.remove(address);
                up.add(address);
            } else if (event == ZMQ.EVENT_DISCONNECTED) {
                handshaking.remove(address);
                if (up.remove(address) && connected.contains(address)) {
                    lost.put(address, now);
                }
            } else if (event == ZMQ.EVENT_CONNECT_RETRIED || event == ZMQ.EVENT_CLOSED) {
                // CONNECT_RETRIED: JeroMQ reconnects on its own; CLOSED: that attempt is over
                handshaking.remove(address);
                lost.remove(address);
            }
        }
        if (refusals != null) {
            refusals.tick(now);
            refusalNotices.tick();
        }
        restart(lost, RETRY_GRACE_MILLIS * 1_000_000L, now, true);
        if (restartStalls) {
            restart(handshaking, stallNanos, now, false);
        }
    }

    private void restart(Map<String, Long> since, long afterNanos, long now, boolean dropped) {
        for (var it = since.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> entry = it.next();
            if (now - entry.getValue() < afterNanos) {
                continue;
            }
            it.remove();
            String address = entry.getKey();
            if (dropped) {
                drops++; // only this thread writes
                if (reported.add(address)) {
                    notices.accept("JeroMQ dropped the connection to " + address + " after a frame over the "
                            + limit + " limit (or a broken frame); reconnecting, but what was on its way is lost"
                            + " uncounted");
                }
            }
            socket.disconnect(address);
            socket.connect(address);
        }
    }

    /** Connections JeroMQ dropped for good (a frame over the limit) and this reopened. */
    long drops() {
        return drops;
    }

    @Override
    public void close() {
        if (refusalNotices != null) {
            refusalNotices.flush();
        }
        events.close();
    }
}
