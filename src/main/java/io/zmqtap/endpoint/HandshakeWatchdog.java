package io.zmqtap.endpoint;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Restarts connections that JeroMQ opened but never finished handshaking.
 *
 * <p>JeroMQ 0.6.0 sometimes (1–6 % of fresh TCP connections, more under load) completes the TCP
 * connect of a connecting socket but never sends its ZMTP greeting: a race in its I/O poller
 * between retiring the connecter's key and registering the engine on the same channel (jeromq
 * pull request #1022, open). The peer waits, a PUB never learns of the subscription, a request
 * sits unsent, and JeroMQ itself only recovers after its 30 s handshake timer, if at all. This
 * watchdog follows the socket's monitor events and, when a connection has stayed unhandshaken for
 * {@code stallMillis}, disconnects and reconnects that endpoint.
 *
 * <p>Not thread-safe: call {@link #check()} from the thread that owns the socket, e.g. each time a
 * receive times out or the owner's loop idles.
 *
 * <pre>{@code
 * HandshakeWatchdog watchdog = HandshakeWatchdog.watch(context, socket, 500);
 * while (running) { byte[] f = socket.recv(); if (f == null) watchdog.check(); ... }
 * }</pre>
 */
public final class HandshakeWatchdog implements AutoCloseable {
    private static final AtomicLong IDS = new AtomicLong();

    private final ZMQ.Socket socket;
    private final ZMQ.Socket events;
    private final long stallNanos;
    private final Observer observer;
    private final Map<String, Long> pending = new HashMap<>();
    private long restarts;

    /**
     * Someone else who reads the socket's monitor events (a socket has one monitor), e.g.
     * {@link io.zmqtap.security.HandshakeRefusals}; called from {@link #check()}.
     */
    public interface Observer {
        /** The events it needs besides the watchdog's. */
        int events();

        void event(ZMQ.Event event, long nanos);

        /** After the events of one {@link #check()}. */
        void tick(long nanos);
    }

    private HandshakeWatchdog(ZMQ.Socket socket, ZMQ.Socket events, long stallMillis, Observer observer) {
        this.socket = socket;
        this.events = events;
        this.stallNanos = stallMillis * 1_000_000L;
        this.observer = observer;
    }

    /** Starts watching {@code socket}; call before it connects. */
    public static HandshakeWatchdog watch(ZContext context, ZMQ.Socket socket, long stallMillis) {
        return watch(context, socket, stallMillis, null);
    }

    /**
     * Starts watching {@code socket}, handing its monitor events to {@code observer} too (may be
     * null); {@code stallMillis} 0 restarts nothing. Call before it connects.
     */
    public static HandshakeWatchdog watch(ZContext context, ZMQ.Socket socket, long stallMillis, Observer observer) {
        String address = "inproc://zmqtap-handshake-watchdog-" + IDS.incrementAndGet();
        socket.monitor(address, ZMQ.EVENT_CONNECTED | ZMQ.EVENT_HANDSHAKE_PROTOCOL | ZMQ.EVENT_DISCONNECTED
                | ZMQ.EVENT_CLOSED | (observer == null ? 0 : observer.events()));
        ZMQ.Socket events = context.createSocket(SocketType.PAIR);
        events.setLinger(0);
        events.connect(address);
        return new HandshakeWatchdog(socket, events, stallMillis, observer);
    }

    /** Reads pending monitor events and restarts stalled connections; returns how many it restarted. */
    public int check() {
        ZMQ.Event e;
        long now = System.nanoTime();
        while ((e = ZMQ.Event.recv(events, ZMQ.DONTWAIT)) != null) {
            if (observer != null) {
                observer.event(e, now);
            }
            String endpoint = e.getAddress();
            if (stallNanos == 0) {
                continue;
            }
            if (e.getEvent() == ZMQ.EVENT_CONNECTED) {
                pending.put(endpoint, now);
            } else if (e.getEvent() != ZMQ.EVENT_CONNECT_DELAYED && e.getEvent() != ZMQ.EVENT_CONNECT_RETRIED) {
                pending.remove(endpoint);
            }
        }
        if (observer != null) {
            observer.tick(now);
        }
        int restarted = 0;
        for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> entry = it.next();
            if (now - entry.getValue() >= stallNanos) {
                it.remove();
                socket.disconnect(entry.getKey());
                socket.connect(entry.getKey());
                restarts++;
                restarted++;
            }
        }
        return restarted;
    }

    /** Connections restarted so far. */
    public long restarts() {
        return restarts;
    }

    @Override
    public void close() {
        events.close();
    }
}
