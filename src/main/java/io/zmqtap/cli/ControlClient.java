package io.zmqtap.cli;

import io.zmqtap.ZmqTapException;
import io.zmqtap.endpoint.Endpoint;
import io.zmqtap.endpoint.Sockets;
import io.zmqtap.proxy.Steering;
import io.zmqtap.security.SocketSecurity;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import zmq.io.Metadata;

/**
 * One conversation with a proxy's control socket, zmqtap's or libzmq's {@code zmq_proxy_steerable},
 * all of it within one deadline. Knows who answered: each reply carries the peer's ZMTP READY
 * properties, and zmqtap's REP control socket names itself {@link Steering#ROUTING_ID} there.
 *
 * <pre>{@code
 * try (ControlClient c = ControlClient.open(Endpoint.parse(">tcp://127.0.0.1:6000"), SocketType.REQ, 3000)) {
 *     ControlClient.Reply stats = c.request("STATISTICS", c.remainingMillis());
 *     if (stats == null) throw c.silence();
 *     if (stats.fromZmqtap()) { ... zmqtap's own commands are safe ... }
 * }
 * }</pre>
 */
final class ControlClient implements AutoCloseable {
    private static final AtomicLong MONITORS = new AtomicLong();

    private final ZContext context = new ZContext(1);
    private final String endpoint;
    private final SocketType type;
    private final long timeoutMillis;
    private final long deadlineNanos;
    private final ZMQ.Socket socket;
    private final ZMQ.Socket events;
    /**
     * What the connection did, from the socket's monitor, for {@link #silence()}: greetings were
     * exchanged (JeroMQ reports this before the READY commands, so a peer of the wrong socket type
     * shows as a handshake, then a disconnection), and whether it is still up.
     */
    private boolean handshaken;
    private boolean connected;

    private final SocketSecurity security;

    private ControlClient(Endpoint target, SocketType type, long timeoutMillis, SocketSecurity security) {
        this.security = security;
        this.endpoint = target.address();
        this.type = type;
        this.timeoutMillis = timeoutMillis;
        this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        try {
            socket = context.createSocket(type);
            socket.setLinger(0);
            if (security != null) {
                security.apply(socket, null);
            }
            String monitor = "inproc://zmqtap-ctl-" + MONITORS.incrementAndGet();
            socket.monitor(monitor, ZMQ.EVENT_HANDSHAKE_PROTOCOL | ZMQ.EVENT_DISCONNECTED);
            events = context.createSocket(SocketType.PAIR);
            events.setLinger(0);
            events.connect(monitor);
            Sockets.attach(socket, List.of(target), "control client");
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /**
     * Connects (or binds, for an endpoint given as {@code @...}) a REQ or PAIR client.
     *
     * @param timeoutMillis how long everything done through this client may take, in all
     */
    static ControlClient open(Endpoint target, SocketType type, long timeoutMillis) {
        return new ControlClient(target, type, timeoutMillis, null);
    }

    /** As {@link #open(Endpoint, SocketType, long)}, connecting with CURVE or PLAIN ({@code null}: NULL). */
    static ControlClient open(Endpoint target, SocketType type, long timeoutMillis, SocketSecurity security) {
        return new ControlClient(target, type, timeoutMillis, security);
    }

    /** REQ or PAIR. */
    SocketType type() {
        return type;
    }

    /** Milliseconds left before the deadline; 0 once it passed. */
    long remainingMillis() {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    /**
     * Sends a one-frame command and waits at most {@code waitMillis} (never past the deadline) for
     * the reply; {@code null} when none came. A REQ that got no reply cannot send again.
     */
    Reply request(String command, long waitMillis) {
        socket.setSendTimeOut(bounded(waitMillis));
        if (!socket.send(command)) {
            return null;
        }
        socket.setReceiveTimeOut(bounded(waitMillis));
        zmq.Msg first = socket.recvMsg(0);
        if (first == null) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>();
        frames.add(first.data());
        while (socket.hasReceiveMore()) {
            frames.add(socket.recv()); // the rest of a message arrives with its first frame
        }
        Metadata peer = first.getMetadata();
        return new Reply(List.copyOf(frames), peer == null ? null : peer.get(Metadata.IDENTITY),
                peer == null ? null : peer.get(Metadata.SOCKET_TYPE));
    }

    /** {@code waitMillis}, but no further than the deadline (and at least 1: 0 would mean "do not wait"). */
    private int bounded(long waitMillis) {
        return (int) Math.max(1, Math.min(waitMillis, remainingMillis()));
    }

    /** Why nothing answered, in one line naming the likely cause; to throw when a reply was required. */
    ZmqTapException silence() {
        readEvents();
        String within = " within " + timeoutMillis + " ms";
        if (security != null && (!handshaken || !connected)) {
            // a refused CURVE or PLAIN client sees the connection open and close again, nothing more
            return new ZmqTapException("no reply from " + endpoint + within + ": no " + security.mechanism()
                    + " session (is a proxy with --control listening there, its certificate the one given to "
                    + "--curve, and this client's key allowed there, or the PLAIN user known?)");
        }
        if (!handshaken) {
            return new ZmqTapException("no reply from " + endpoint + within
                    + " (is a proxy with --control listening there?)");
        }
        if (!connected) {
            String other = type == SocketType.PAIR ? "REP? then leave out --type pair" : "PAIR? then use --type pair";
            return new ZmqTapException(endpoint + " closed the connection without replying (is its control socket a "
                    + other + "; or did the proxy exit?)");
        }
        return new ZmqTapException("no reply from " + endpoint + within + " although it took the connection"
                + (type == SocketType.REQ
                        ? " (libzmq 4.3.4's zmq_proxy_steerable stops answering on a REP control socket once it got"
                          + " PAUSE, RESUME or TERMINATE)"
                        : ""));
    }

    private void readEvents() {
        ZMQ.Event e;
        while ((e = ZMQ.Event.recv(events, ZMQ.DONTWAIT)) != null) {
            if (e.getEvent() == ZMQ.EVENT_HANDSHAKE_PROTOCOL) {
                handshaken = true;
                connected = true;
            } else if (e.getEvent() == ZMQ.EVENT_DISCONNECTED) {
                connected = false;
            }
        }
    }

    /**
     * Closes the client. A command sent without waiting for its reply (libzmq 4.3.4 sends none) may
     * still be on its way: it gets what is left of the deadline to leave.
     */
    @Override
    public void close() {
        socket.setLinger((int) remainingMillis());
        context.close();
    }

    /**
     * A reply and who sent it.
     *
     * @param identity the peer's ZMTP {@code Identity} property, or null (a REP or PAIR sends none)
     * @param socketType the peer's ZMTP {@code Socket-Type} property, e.g. ROUTER
     */
    record Reply(List<byte[]> frames, String identity, String socketType) {
        /** True when zmqtap's own control socket answered, whose extra commands are safe to send. */
        boolean fromZmqtap() {
            return Steering.ROUTING_ID.equals(identity);
        }
    }
}
