package io.zmqtap.proxy;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A snapshot of a proxy's counters.
 *
 * <p>Usage: {@code long replies = queue.statistics().frontend().messagesOut();}
 *
 * @param frontend traffic on the frontend (client side)
 * @param backend traffic on the backend (server side)
 * @param captured capture messages made from forwarded ones (a feed with no subscriber discards
 *     them, as ZeroMQ does; use {@code awaitCaptureSubscriber} to wait for one)
 * @param captureDropped capture messages lost because a subscriber's queue (or the capture socket)
 *     was full, once per subscriber that lost it; the proxied message still went through
 * @param undeliverable proxied messages a ROUTER could not deliver because the peer they were
 *     addressed to had gone away
 * @param unanswered requests a REP server never answered because its connection closed first
 *     (the wire engine; see {@link #servers()})
 * @param servers per server address, what the wire engine sent and got back; empty for the JeroMQ engine
 * @param subscribers per capture subscriber, what it got and lost; empty where the capture cannot
 *     tell subscribers apart (a JeroMQ capture socket)
 * @param memory bytes the engine's buffers hold now, at most, and its budget
 * @param notices notices reported so far (dropped connections, servers lost and back, ...), shown or summed up
 */
public record ProxyStatistics(
        SocketStatistics frontend, SocketStatistics backend, long captured, long captureDropped, long undeliverable,
        long unanswered, List<ServerStatistics> servers, List<SubscriberStatistics> subscribers, Memory memory,
        long notices) {

    /** Bytes held in buffers: now, the most at once, and the budget ({@code --max-memory}). */
    public record Memory(long used, long peak, long limit) {
        static final Memory NONE = new Memory(0, 0, 0);
    }

    public ProxyStatistics {
        servers = List.copyOf(servers);
        subscribers = List.copyOf(subscribers);
    }

    /**
     * One line for people, e.g. {@code in 5 msgs (5 B), out 5 msgs (5 B), captured 10, capture
     * dropped 0}; then what went wrong, if anything: undeliverable and unanswered requests, and which
     * subscribers lost captures.
     */
    public String summary() {
        StringBuilder sb = new StringBuilder("in " + frontend.messagesIn() + " msgs (" + frontend.bytesIn() + " B), out "
                + backend.messagesIn() + " msgs (" + backend.bytesIn() + " B), captured " + captured
                + ", capture dropped " + captureDropped);
        if (captureDropped > 0 && !subscribers.isEmpty()) {
            sb.append(" (").append(subscribers.stream()
                    .map(s -> s.address() + " " + s.dropped() + " of " + (s.queued() + s.dropped()))
                    .collect(Collectors.joining(", "))).append(')');
        }
        if (undeliverable > 0) {
            sb.append(", undeliverable (peer gone) ").append(undeliverable);
        }
        if (unanswered > 0) {
            sb.append(", unanswered (server gone) ").append(unanswered);
        }
        return sb.toString();
    }
}
