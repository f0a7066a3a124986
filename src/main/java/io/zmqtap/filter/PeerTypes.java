package io.zmqtap.filter;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.ConnectionEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.HandshakeEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The socket types of each connection's peers, learnt from handshakes and connection events, for
 * {@code type SUB}: messages and commands do not carry them. Bounded: past {@code max}
 * connections the oldest is forgotten; a closed connection is forgotten once its close event has
 * been tested. Thread-safe (one filter may serve several pipelines).
 *
 * <p>Usage: {@code types.learn(event); String[] t = types.of(event); types.forgetIfClosed(event);}
 */
final class PeerTypes {
    private final int max;
    private final Map<String, String[]> byConn;

    PeerTypes(int max) {
        this.max = max;
        this.byConn = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String[]> eldest) {
                return size() > PeerTypes.this.max;
            }
        };
    }

    /** Notes what {@code e} says about its connection's socket types. */
    synchronized void learn(CaptureEvent e) {
        if (e.conn() == null) {
            return;
        }
        if (e instanceof HandshakeEvent h && h.socketType() != null) {
            types(e)[h.direction() == Direction.OUT ? 1 : 0] = h.socketType();
        } else if (e instanceof ConnectionEvent c && (c.clientSocketType() != null || c.serverSocketType() != null)) {
            String[] t = types(e);
            if (c.clientSocketType() != null) {
                t[0] = c.clientSocketType();
            }
            if (c.serverSocketType() != null) {
                t[1] = c.serverSocketType();
            }
        }
    }

    /** {client, server} socket types of {@code e}'s connection, either null when not known; null when neither is. */
    synchronized String[] of(CaptureEvent e) {
        String[] t = e.conn() == null ? null : byConn.get(key(e));
        return t == null ? null : t.clone();
    }

    /** Forgets a connection whose close event this is. */
    synchronized void forgetIfClosed(CaptureEvent e) {
        if (e instanceof ConnectionEvent c && c.kind() == ConnectionEvent.Kind.CLOSED && c.conn() != null) {
            byConn.remove(key(e));
        }
    }

    synchronized int size() {
        return byConn.size();
    }

    private String[] types(CaptureEvent e) {
        return byConn.computeIfAbsent(key(e), k -> new String[2]);
    }

    private static String key(CaptureEvent e) {
        return e.source() + '\n' + e.conn();
    }
}
