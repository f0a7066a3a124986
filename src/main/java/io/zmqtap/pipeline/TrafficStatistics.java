package io.zmqtap.pipeline;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.CommandEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.StatisticsEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
     * the two kinds never equal each other. No key object is made per message. Beside the tracked
     * peers, up to {@code maxPeers} more map to {@link #other}: they are counted in it, and a
     * message of theirs finds it in one lookup.
     */
    private final Map<Object, PeerTraffic> peers = new LinkedHashMap<>();
    /** The peers of the latest messages, by reference (see {@link RecentKeys}). */
    private final RecentKeys<PeerTraffic> recent = new RecentKeys<>();
    private PeerTraffic other;
    /** Distinct peers summed in {@link #other}, up to maxPeers: the entries of {@link #peers} that map to it. */
    private int inOther;
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
        PeerTraffic p = key == null ? null : recent.get(key);
        if (p == null) {
            p = peers.get(key);
            if (p == null) {
                p = newPeer(key, m);
            }
            if (key != null) {
                recent.put(key, p);
            }
        }
        p.identity(m.identity()); // `other` shows none
        return p;
    }

    /** A peer not seen before: tracked while there are fewer than maxPeers, else summed in {@link #other}. */
    private PeerTraffic newPeer(Object key, MessageEvent m) {
        if (peers.size() - inOther < maxPeers) {
            PeerTraffic p = new PeerTraffic(m.conn(), m.identity());
            peers.put(key, p);
            return p;
        }
        if (other == null) {
            other = PeerTraffic.summed(OTHER);
        }
        // counting distinct peers exactly would need a map as large as the traffic: count up to a bound
        if (inOther < maxPeers) {
            inOther++;
            peers.put(key, other);
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
        List<StatisticsEvent.Peer> list = new ArrayList<>(peers.size() - inOther + 1);
        for (PeerTraffic p : peers.values()) {
            if (p != other) {
                list.add(p.snapshot(ROLE, Map.of()));
            }
        }
        if (other != null) {
            list.add(other.snapshot(ROLE, Map.of("peers", (long) inOther)));
        }
        return list;
    }
}
