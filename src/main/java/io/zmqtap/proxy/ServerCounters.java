package io.zmqtap.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counters per server address, written by the wire engine's thread and read from any thread.
 * Bounded: past {@link #MAX_SERVERS} addresses, the rest are counted together under {@code (other)}.
 */
final class ServerCounters {
    static final int MAX_SERVERS = 1000;
    private static final String OTHER = "(other)";

    private final Map<String, Counts> byAddress = new ConcurrentHashMap<>();
    private volatile long unanswered;

    private Counts counts(String address) {
        Counts c = byAddress.get(address);
        if (c == null) {
            c = byAddress.size() >= MAX_SERVERS ? byAddress.computeIfAbsent(OTHER, k -> new Counts())
                    : byAddress.computeIfAbsent(address, k -> new Counts());
        }
        return c;
    }

    /**
     * A connection to {@code address} finished its handshake: returns that address's counts, which
     * the connection keeps, so that a request or reply costs no lookup by address.
     */
    Counts connected(String address) {
        Counts c = counts(address);
        c.connections++;
        return c;
    }

    /** A connection counted in {@code c} closed with {@code lost} requests unanswered. */
    void lost(Counts c, int lost) {
        c.inFlight = Math.max(0, c.inFlight - lost);
        c.unanswered += lost;
        unanswered = unanswered + lost;
    }

    long unanswered() {
        return unanswered;
    }

    List<ServerStatistics> snapshot() {
        List<ServerStatistics> list = new ArrayList<>();
        byAddress.forEach((address, c) -> list.add(
                new ServerStatistics(address, c.connections, c.requests, c.replies, c.inFlight, c.unanswered)));
        list.sort((a, b) -> a.address().compareTo(b.address()));
        return list;
    }

    /** One address's counts. Single writer (the engine's thread): volatile read-modify-write is safe and cheap. */
    static final class Counts {
        private volatile long connections;
        private volatile long requests;
        private volatile long replies;
        private volatile long inFlight;
        private volatile long unanswered;

        /** Connections that finished their handshake so far. */
        long connections() {
            return connections;
        }

        /** A request went there; {@code tracked} when it will be answered exactly once. */
        void request(boolean tracked) {
            requests++;
            if (tracked) {
                inFlight++;
            }
        }

        void reply(boolean tracked) {
            replies++;
            if (tracked && inFlight > 0) {
                inFlight--;
            }
        }
    }
}
