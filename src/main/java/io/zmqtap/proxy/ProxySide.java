package io.zmqtap.proxy;

import io.zmqtap.endpoint.HandshakeWatchdog;
import java.util.List;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import zmq.SocketBase;

/** One side of the proxy: its socket, what it can do, and its counters. */
final class ProxySide {
    final String role;
    final SocketType type;
    final ZMQ.Socket socket;
    final SocketBase base;
    final SideCounters counters = new SideCounters();
    final List<String> endpoints;
    HandshakeWatchdog watchdog;

    ProxySide(String role, SocketType type, ZMQ.Socket socket, List<String> endpoints) {
        this.role = role;
        this.type = type;
        this.socket = socket;
        this.base = socket.base();
        this.endpoints = endpoints;
    }

    boolean canReceive() {
        return type != SocketType.PUSH && type != SocketType.PUB;
    }

    boolean canSend() {
        return type != SocketType.PULL && type != SocketType.SUB;
    }
}
