package io.zmqtap.pipeline;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.CommandEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.StatisticsEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a pipeline counts: messages each way and commands, and per peer its messages, bytes and
 * reply latency. A peer is a connection for sources that have them (the tap's {@code c1}), else a
 * client identity (a queue's routing id). Pure: the caller brings the events and the locking.
 *
 * <p>At most {@code maxPeers} peers are tracked one by one; traffic of any further peer is summed
 * in one peer with conn {@value #OTHER}, whose counter {@code peers} says how many it holds, so a
 * hostile source cannot grow memory without bound ({@code peers} stops counting at {@code maxPeers}).
 *
 * <p>Usage: {@code stats.record(event); stats.peers() // [client c1 in 5 out 5 ... latency p50 61 µs]}
 */
final class TrafficStatistics {
    /** The conn of the peer that sums every peer beyond the cap. */
    static final String OTHER = "other";
    private static final String ROLE = "client";

    private final int maxPeers;
    /**
     * By peer: its connection (a String), or without one its identity (a {@link Frame}, or null);
     * the two kinds never equal each other. No key object is made per message.
     */
    private final Map<Object, PeerTraffic> peers = new LinkedHashMap<>();
    private PeerTraffic other;
    private final Set<Object> inOther = new HashSet<>(); // who is in it, up to maxPeers
    private long messages;
    private long messagesIn;
    private long messagesOut;
    private long commands;

    TrafficStatistics(int maxPeers) {
        if (maxPeers < 1) {
            throw new IllegalArgumentException("max peers must be positive: " + maxPeers);
        }
        this.maxPeers = maxPeers;
    }

    /** Counts one event as delivered (a paired reply carries its latency). */
    void record(CaptureEvent event) {
        if (event instanceof CommandEvent) {
            commands++;
            return;
        }
        if (!(event instanceof MessageEvent m)) {
            return;
        }
        messages++;
        if (m.direction() == Direction.UNKNOWN) {
            return; // no client, no server: nothing to say per peer
        }
        boolean in = m.direction() == Direction.IN;
        if (in) {
            messagesIn++;
        } else {
            messagesOut++;
        }
        PeerTraffic p = peer(m);
        p.message(in, m.size());
        if (m.latencyNanos() >= 0) {
            p.latency(m.latencyNanos());
        }
    }

    private PeerTraffic peer(MessageEvent m) {
        Object key = m.conn() != null ? m.conn() : m.identity();
        PeerTraffic p = peers.get(key);
        if (p == null) {
            if (peers.size() >= maxPeers) {
                return other(key);
            }
            p = new PeerTraffic(m.conn(), m.identity());
            peers.put(key, p);
        }
        p.identity(m.identity());
        return p;
    }

    private PeerTraffic other(Object key) {
        if (other == null) {
            other = new PeerTraffic(OTHER, null);
        }
        // counting distinct peers exactly would need a set as large as the traffic: count up to a bound
        if (inOther.size() < maxPeers) {
            inOther.add(key);
        }
        return other;
    }

    long messages() {
        return messages;
    }

    long messagesIn() {
        return messagesIn;
    }

    long messagesOut() {
        return messagesOut;
    }

    long commands() {
        return commands;
    }

    /** Every peer, first seen first, then the summed rest. */
    List<StatisticsEvent.Peer> peers() {
        List<StatisticsEvent.Peer> list = new ArrayList<>(peers.size() + 1);
        for (PeerTraffic p : peers.values()) {
            list.add(p.snapshot(ROLE, Map.of()));
        }
        if (other != null) {
            list.add(other.snapshot(ROLE, Map.of("peers", (long) inOther.size())));
        }
        return list;
    }
}
