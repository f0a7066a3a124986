package io.zmqtap.feed;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.CommandEvent;
import io.zmqtap.event.MessageEvent;
import java.util.Map;

/**
 * The events a feed brought, by kind: messages by direction, and forwarded subscriptions apart, so
 * that {@code SUBSCRIBE} lines are not counted as messages and a raw feed's messages (no
 * direction) are counted at all. Written by one thread, read by any.
 *
 * <p>Usage: {@code counts.count(event); counts.into(map); // messages, messages_in, ...}
 */
final class FeedCounts {
    private volatile long in;
    private volatile long out;
    private volatile long unknown;
    private volatile long commands;

    /** Counts one event; only the handling thread calls this. */
    void count(CaptureEvent event) {
        if (event instanceof MessageEvent m) {
            switch (m.direction()) {
                case IN -> in++;
                case OUT -> out++;
                default -> unknown++;
            }
        } else if (event instanceof CommandEvent) {
            commands++;
        }
    }

    /** Puts {@code messages}, {@code messages_in}, {@code messages_out}, {@code messages_unknown}, {@code commands}. */
    void into(Map<String, Long> counters) {
        long i = in;
        long o = out;
        long u = unknown;
        counters.put("messages", i + o + u);
        counters.put("messages_in", i);
        counters.put("messages_out", o);
        counters.put("messages_unknown", u);
        counters.put("commands", commands);
    }
}
