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

    /** A connection to {@code address} finished its handshake; returns how many have so far. */
    long connected(String address) {
        Counts c = counts(address);
        return ++c.connections;
    }

    /** A request went to {@code address}; {@code tracked} when it will answer it exactly once. */
    void request(String address, boolean tracked) {
        Counts c = counts(address);
        c.requests++;
        if (tracked) {
            c.inFlight++;
        }
    }

    void reply(String address, boolean tracked) {
        Counts c = counts(address);
        c.replies++;
        if (tracked && c.inFlight > 0) {
            c.inFlight--;
        }
    }

    /** A connection to {@code address} closed with {@code lost} requests unanswered. */
    void lost(String address, int lost) {
        Counts c = counts(address);
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

    /** Single writer (the engine's thread): volatile read-modify-write is safe and cheap. */
    private static final class Counts {
        volatile long connections;
        volatile long requests;
        volatile long replies;
        volatile long inFlight;
        volatile long unanswered;
    }
}
