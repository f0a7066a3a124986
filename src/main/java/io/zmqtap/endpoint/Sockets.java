package io.zmqtap.endpoint;

import io.zmqtap.BadValueException;
import io.zmqtap.ZmqTapException;
import java.util.ArrayList;
import java.util.List;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;
import zmq.ZError;

/** Binds or connects a socket to endpoints, turning JeroMQ failures into one-line errors. */
public final class Sockets {
    /** How long a connection may take to handshake before it is reopened (JeroMQ's default is 30 s). */
    public static final int HANDSHAKE_MS = 1_000;
    /** How long a subscriber's connection may stay unhandshaken before its watchdog reopens it. */
    public static final int WATCHDOG_STALL_MS = 500;
    private static final int DEFAULT_HANDSHAKE_MS = 30_000;

    private Sockets() {}

    /**
     * Attaches {@code socket} to every endpoint and returns the addresses actually used (a bind to
     * port {@code *} or {@code 0} reports the port it got).
     *
     * @param role what the socket is for, used in error messages, e.g. "frontend"
     */
    public static List<String> attach(ZMQ.Socket socket, List<Endpoint> endpoints, String role) {
        if (endpoints.stream().anyMatch(e -> !e.bind())) {
            prepareToConnect(socket);
        }
        List<String> resolved = new ArrayList<>();
        for (Endpoint e : endpoints) {
            if (e.address().startsWith("ipc://")) {
                // JeroMQ's ipc is TCP on a port derived from the path: no socket file, so libzmq
                // peers on that path would wait for ever
                throw new BadValueException("cannot use " + e.address() + " for the " + role + ": JeroMQ only emulates "
                        + "ipc:// over TCP, so libzmq peers could not connect; use tcp://");
            }
            checkHost(role, e);
            try {
                if (e.bind()) {
                    String address = e.address().endsWith(":0")
                            ? e.address().substring(0, e.address().length() - 1) + "*"
                            : e.address();
                    if (!socket.bind(address)) {
                        throw new ZmqTapException("cannot bind " + role + " to " + e.address());
                    }
                    resolved.add("@" + socket.getLastEndpoint());
                } else {
                    if (!socket.connect(e.address())) {
                        throw new ZmqTapException("cannot connect " + role + " to " + e.address());
                    }
                    resolved.add(">" + e.address());
                }
            } catch (ZMQException ex) {
                throw new ZmqTapException(describe(role, e, ex), ex);
            } catch (IllegalArgumentException ex) {
                throw new ZmqTapException("cannot " + (e.bind() ? "bind " : "connect ") + role + " to "
                        + e.address() + ": " + ex.getMessage(), ex);
            }
        }
        return List.copyOf(resolved);
    }

    /**
     * A TCP host that does not resolve fails here with its name: JeroMQ throws an exception without
     * a message for it (so the error read "...: null").
     */
    private static void checkHost(String role, Endpoint e) {
        if (!e.address().startsWith("tcp://")) {
            return;
        }
        String hostPort = e.address().substring("tcp://".length());
        int colon = hostPort.lastIndexOf(':');
        String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.equals("*") || host.contains(";")) {
            return; // every interface; or a libzmq source address (src;dst), left to JeroMQ
        }
        try {
            java.net.InetAddress.getByName(host);
        } catch (java.net.UnknownHostException ex) {
            throw new ZmqTapException("cannot " + (e.bind() ? "bind " : "connect ") + role + " to " + e.address()
                    + ": unknown host " + host);
        }
    }

    /**
     * Works around a JeroMQ 0.6.0 race (see {@link HandshakeWatchdog}) in which a connection it opens
     * never sends its greeting. With IMMEDIATE, messages wait for a finished handshake instead of
     * being queued to the stalled connection, and a short handshake timer makes JeroMQ drop and
     * reopen it, keeping the queued messages. Subscribers lose their subscriptions that way, so SUB
     * and XSUB sockets are left alone here and watched by a {@link HandshakeWatchdog} instead.
     */
    public static void prepareToConnect(ZMQ.Socket socket) {
        SocketType type = socket.getSocketType();
        if (type == SocketType.SUB || type == SocketType.XSUB) {
            return;
        }
        socket.setImmediate(true);
        if (socket.getHandshakeIvl() == DEFAULT_HANDSHAKE_MS) {
            socket.setHandshakeIvl(HANDSHAKE_MS);
        }
    }

    /** True for socket types whose connections must be watched by a {@link HandshakeWatchdog}. */
    public static boolean needsWatchdog(SocketType type, List<Endpoint> endpoints) {
        return (type == SocketType.SUB || type == SocketType.XSUB) && endpoints.stream().anyMatch(e -> !e.bind());
    }

    private static String describe(String role, Endpoint e, ZMQException ex) {
        String verb = e.bind() ? "bind " : "connect ";
        int code = ex.getErrorCode();
        String why;
        if (code == ZError.EADDRINUSE) {
            why = "address already in use";
        } else if (code == ZError.EADDRNOTAVAIL) {
            why = "address not available on this machine";
        } else if (code == ZError.EPROTONOSUPPORT) {
            why = "transport not supported";
        } else if (code == ZError.EINVAL) {
            why = "invalid address";
        } else {
            why = ZError.toString(code).toLowerCase(java.util.Locale.ROOT);
        }
        return "cannot " + verb + role + " to " + e.address() + ": " + why;
    }
}
