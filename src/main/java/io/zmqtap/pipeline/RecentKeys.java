package io.zmqtap.pipeline;

/**
 * The values of the keys used lately, found by reference, in front of a map that holds them by
 * value. The events of one connection share one {@code String} for its name, so a message finds
 * its connection's state in one slot of one array instead of through a map's hashing, node and
 * {@code equals}: two such lookups per message were a tenth of a warm {@code zmqtap read}
 * (docs/benchmarks.md, eleventh session). A miss only means asking the map; a key equal to a cached
 * one but another instance simply misses. Two slots per hash, the newest key first, so its size
 * never grows, and two of a few hundred busy connections that share a hash do not keep pushing
 * each other out (with one slot per hash, about a sixth of 200 connections at once would share one
 * with another and miss on every message).
 *
 * <p>Not thread-safe: its owner's lock covers it.
 *
 * <p>Usage: {@code V v = recent.get(conn); if (v == null) { v = map.get(conn); recent.put(conn, v); }}
 *
 * @param <V> the values
 */
final class RecentKeys<V> {
    static final int SETS = 1024;

    /** Per hash, two keys and their values side by side (key, value, key, value), so that a hit reads one cache line. */
    private final Object[] slots = new Object[SETS * 4];

    /** The value last put for this very instance of {@code key}, or null. */
    @SuppressWarnings("unchecked") // only put() fills the odd slots, with Vs
    V get(Object key) {
        int i = set(key);
        Object[] s = slots;
        if (s[i] == key) {
            return (V) s[i + 1];
        }
        return s[i + 2] == key ? (V) s[i + 3] : null;
    }

    /** Remembers {@code value} for {@code key} (not null), first of its two slots; the older of the two goes. */
    void put(Object key, V value) {
        int i = set(key);
        Object[] s = slots;
        if (s[i] != key) {
            s[i + 2] = s[i];
            s[i + 3] = s[i + 1];
            s[i] = key;
        }
        s[i + 1] = value;
    }

    private static int set(Object key) {
        return (System.identityHashCode(key) & (SETS - 1)) * 4;
    }
}
