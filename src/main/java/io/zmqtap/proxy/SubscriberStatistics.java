package io.zmqtap.proxy;

/**
 * One capture subscriber's share of the feed: each subscriber has its own bounded queue, so a
 * stalled one loses only its own captures.
 *
 * <p>Usage: {@code queue.statistics().subscribers().forEach(s -> log(s.address() + " dropped " + s.dropped()));}
 *
 * @param address where it connected from, e.g. {@code 127.0.0.1:50312}
 * @param connected true while it is connected
 * @param subscriptions topics it subscribed to (an empty topic is everything)
 * @param queued capture messages given to it (written or still waiting to be)
 * @param dropped capture messages it lost because its queue was full
 */
public record SubscriberStatistics(String address, boolean connected, int subscriptions, long queued, long dropped) {}
