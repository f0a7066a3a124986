package io.zmqtap.proxy;

import io.zmqtap.feed.CaptureFrames;
import io.zmqtap.zmtp.FrameScanner;
import io.zmqtap.endpoint.Endpoint;
import io.zmqtap.endpoint.HandshakeWatchdog;
import io.zmqtap.endpoint.Notices;
import io.zmqtap.security.Gatekeeper;
import io.zmqtap.security.HandshakeRefusals;
import io.zmqtap.security.SocketSecurity;
import io.zmqtap.endpoint.Sockets;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The JeroMQ sockets a queue owns, and their context: the JeroMQ engine's frontend and backend,
 * and in either engine the control socket and a capture zmqtap does not publish itself. Closing
 * never hangs: JeroMQ's context waits for its I/O threads, and one that died would be waited for
 * for ever, so the context gets a few seconds and is then left to the garbage collector.
 */
final class QueueSockets implements AutoCloseable {
    private static final long CONTEXT_CLOSE_MILLIS = 3_000;

    final ZContext context;
    private final boolean ownsContext;
    private final List<ZMQ.Socket> sockets = new ArrayList<>();
    List<String> controlEndpoints = List.of();
    /** The capture socket, if it is a JeroMQ one. */
    ZMQ.Socket capture;
    ZMQ.Socket control;
    /** The ZAP handler when the queue has access rules; null otherwise. */
    Gatekeeper gatekeeper;
    /** The sockets that ask the ZAP handler about their clients (their ZAP domains), in the order made. */
    private final List<String> guarded = new CopyOnWriteArrayList<>();

    private QueueSockets(ZContext context, boolean ownsContext) {
        this.context = context;
        this.ownsContext = ownsContext;
    }

    /** The builder's context, or a new one with one I/O thread that this closes. */
    static QueueSockets open(MonitoredQueue.Builder b) {
        return b.context != null ? new QueueSockets(b.context, false) : new QueueSockets(new ZContext(1), true);
    }

    boolean ownsContext() {
        return ownsContext;
    }

    /** Starts the ZAP handler in this context when the builder has access rules; before any socket binds. */
    void guard(MonitoredQueue.Builder b, Notices notices) {
        if (!b.access.isEmpty() && gatekeeper == null) {
            gatekeeper = Gatekeeper.start(context, b.access, notices);
        }
    }

    /**
     * A socket's security options; {@code role} is its ZAP domain, so a refusal names the socket.
     * With address rules a NULL socket asks the handler too (NULL asks only when it has a domain).
     */
    private void secure(MonitoredQueue.Builder b, ZMQ.Socket s, SocketSecurity security, String role) {
        if (security != null) {
            security.apply(s, role);
        } else if (b.access.filtersAddresses() && !role.equals("backend")) {
            s.setZAPDomain(role.getBytes(StandardCharsets.UTF_8));
        }
        if (gatekeeper != null && (security != null ? security.server()
                : b.access.filtersAddresses() && !role.equals("backend"))) {
            guarded.add(role);
        }
    }

    /** Clients refused by the ZAP handler so far; 0 without one. */
    long refusals() {
        return gatekeeper == null ? 0 : gatekeeper.refusals();
    }

    /**
     * Clients refused so far per socket that asks the ZAP handler, e.g. {@code frontend=2, capture=0}
     * (every such socket, refused or not, so the counters stay put); empty without a handler.
     */
    Map<String, Long> refusedBySocket() {
        if (gatekeeper == null) {
            return Map.of();
        }
        Map<String, Long> by = gatekeeper.refusalsBySocket();
        Map<String, Long> refused = new LinkedHashMap<>();
        for (String role : guarded) {
            refused.put(role, by.getOrDefault(role, 0L));
        }
        return refused;
    }

    ZMQ.Socket newSocket(SocketType type) {
        ZMQ.Socket s = context.createSocket(type);
        sockets.add(s);
        return s;
    }

    /** A frontend or backend of the JeroMQ engine. */
    ProxySide side(MonitoredQueue.Builder b, String role, SocketType type, List<Endpoint> endpoints,
                   BudgetAllocator allocator, long maxMessage, Notices notices) {
        ZMQ.Socket s = newSocket(type);
        s.setSndHWM(b.hwm);
        s.setRcvHWM(b.hwm);
        s.setLinger(1_000);
        // A short wait for room before the loop turns to other work; see ProxyLoop.deliver.
        s.setSendTimeOut(b.sendWaitMillis);
        // JeroMQ allocates what a peer announces: refuse more than a message may be, and take big
        // ones from the memory budget (see BudgetAllocator)
        s.setMaxMsgSize(maxMessage);
        s.base().setSocketOpt(zmq.ZMQ.ZMQ_MSG_ALLOCATOR, allocator);
        if (type == SocketType.ROUTER) {
            s.setRouterMandatory(true); // report a full or vanished peer instead of dropping quietly
        }
        if (type == SocketType.SUB) {
            for (String topic : b.subscriptions) {
                s.subscribe(topic.getBytes(StandardCharsets.UTF_8));
            }
        }
        SocketSecurity security = role.equals("frontend") ? b.frontendSecurity : b.backendSecurity;
        secure(b, s, security, role);
        HandshakeRefusals refusals = null;
        List<String> connected = endpoints.stream().filter(e -> !e.bind()).map(Endpoint::address).toList();
        if (security != null && !security.server() && !connected.isEmpty()) {
            // JeroMQ neither says that a server refused this client nor dials it again: this does both
            refusals = new HandshakeRefusals(role, security, connected, notices, endpoint -> {
                s.disconnect(endpoint);
                s.connect(endpoint);
            });
        }
        boolean stalls = Sockets.needsWatchdog(type, endpoints);
        HandshakeWatchdog watchdog = stalls || refusals != null
                ? HandshakeWatchdog.watch(context, s, stalls ? Sockets.WATCHDOG_STALL_MS : 0, refusals) : null;
        ProxySide side = new ProxySide(role, type, s, Sockets.attach(s, endpoints, role));
        side.watchdog = watchdog;
        return side;
    }

    /** A capture through a JeroMQ socket (inproc, or a PUSH, DEALER or PAIR capture); returns its endpoints. */
    Capture attachCapture(MonitoredQueue.Builder b, CaptureFrames frames, List<String> resolved) {
        // PUB is XPUB inside: the same on the wire to subscribers, but it tells us when
        // a sniffer has subscribed (see awaitCaptureSubscriber).
        SocketType type = b.captureType == SocketType.PUB ? SocketType.XPUB : b.captureType;
        ZMQ.Socket s = newSocket(type);
        capture = s;
        s.setSndHWM(b.captureHwm);
        s.setLinger(0);
        s.setMaxMsgSize(FrameScanner.DEFAULT_MAX_COMMAND); // it only ever reads subscriptions
        if (type == SocketType.XPUB) {
            s.setXpubNoDrop(true); // report a full subscriber instead of dropping quietly
        } else {
            s.setSendTimeOut(0);
        }
        secure(b, s, b.captureSecurity, "capture");
        resolved.addAll(Sockets.attach(s, b.capture, "capture"));
        return new SocketCapture(s.base(), frames);
    }

    /** The control socket, or null without one. */
    Steering attachControl(MonitoredQueue.Builder b) {
        if (b.control == null) {
            return null;
        }
        ZMQ.Socket s = newSocket(Steering.socketType(b.controlType));
        s.setLinger(100); // let the reply to TERMINATE leave before we close
        s.setMaxMsgSize(FrameScanner.DEFAULT_MAX_COMMAND); // commands are a word or two
        secure(b, s, b.controlSecurity, "control");
        Steering steering = new Steering(s); // names the socket, so before it binds
        controlEndpoints = Sockets.attach(s, b.control, "control");
        control = s;
        return steering;
    }

    @Override
    public void close() {
        if (!ownsContext) {
            closeGatekeeper();
            sockets.forEach(ZMQ.Socket::close); // the embedding program's context: it closes that
            return;
        }
        Thread closing = new Thread(() -> {
            closeGatekeeper(); // waits for its actor, which a dead I/O thread could stall: within the limit
            sockets.forEach(ZMQ.Socket::close);
            context.close();
        }, "zmqtap-context-close");
        closing.setDaemon(true);
        closing.start();
        try {
            closing.join(CONTEXT_CLOSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The ZAP handler's actor has sockets in the context: it stops before the context closes. */
    private void closeGatekeeper() {
        if (gatekeeper != null) {
            gatekeeper.close();
        }
    }
}
