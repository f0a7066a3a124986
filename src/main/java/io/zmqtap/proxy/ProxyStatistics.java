package io.zmqtap.proxy;

import io.zmqtap.event.StatisticsEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A snapshot of a proxy's counters: the one statistics model behind the command's summary,
 * {@code STATISTICS JSON} and the events listeners and sinks get ({@link #toEvent}).
 *
 * <p>Usage: {@code long replies = queue.statistics().frontend().messagesOut();} or
 * {@code queue.statistics().counters().get("capture_dropped")}
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
 * @param refused clients the ZAP handler refused (an unknown CURVE key, a wrong PLAIN password, an
 *     address not allowed), per socket that checks its clients ({@code frontend}, {@code backend},
 *     {@code capture}, {@code control}), in that order, 0 included; empty when the proxy checks no client
 * @param memory bytes the engine's buffers hold now, at most, and its budget
 * @param notices notices reported so far (dropped connections, servers lost and back, ...), shown or summed up
 */
public record ProxyStatistics(
        SocketStatistics frontend, SocketStatistics backend, long captured, long captureDropped, long undeliverable,
        long unanswered, List<ServerStatistics> servers, List<SubscriberStatistics> subscribers,
        Map<String, Long> refused, Memory memory, long notices) {

    /** Bytes held in buffers: now, the most at once, and the budget ({@code --max-memory}). */
    public record Memory(long used, long peak, long limit) {}

    public ProxyStatistics {
        servers = List.copyOf(servers);
        subscribers = List.copyOf(subscribers);
        refused = Collections.unmodifiableMap(new LinkedHashMap<>(refused));
    }

    /**
     * Every count by its snake_case name, in a stable order: {@code frontend_messages_in},
     * {@code frontend_bytes_in}, {@code frontend_messages_out}, {@code frontend_bytes_out}, the same
     * four for {@code backend_}, then {@code captured}, {@code capture_dropped}, {@code undeliverable},
     * {@code unanswered}, {@code SOCKET_refused} per socket that checks its clients (e.g.
     * {@code frontend_refused}, {@code capture_refused}; none when no socket does), {@code notices},
     * {@code memory_used}, {@code memory_peak}, {@code memory_limit} (bytes).
     */
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        side(c, "frontend_", frontend);
        side(c, "backend_", backend);
        c.put("captured", captured);
        c.put("capture_dropped", captureDropped);
        c.put("undeliverable", undeliverable);
        c.put("unanswered", unanswered);
        refused.forEach((socket, n) -> c.put(socket + "_refused", n));
        c.put("notices", notices);
        c.put("memory_used", memory.used());
        c.put("memory_peak", memory.peak());
        c.put("memory_limit", memory.limit());
        return c;
    }

    private static void side(Map<String, Long> c, String prefix, SocketStatistics s) {
        c.put(prefix + "messages_in", s.messagesIn());
        c.put(prefix + "bytes_in", s.bytesIn());
        c.put(prefix + "messages_out", s.messagesOut());
        c.put(prefix + "bytes_out", s.bytesOut());
    }

    /**
     * These statistics as an event: {@link #counters()}, then a peer per server (role
     * {@code server}, conn its address, requests as messages in and replies as messages out, counters
     * {@code connections}, {@code in_flight}, {@code unanswered}) and per capture subscriber (role
     * {@code subscriber}, captures given to it as messages out, counters {@code connected},
     * {@code topics}, {@code dropped}). Clients are not among them: a pipeline fed with the traffic
     * adds them, with their latency.
     *
     * <p>Usage: {@code sink.accept(queue.statistics().toEvent(queue.source(), Duration.ofSeconds(10), false));}
     *
     * @param source the name the event carries, e.g. {@link MonitoredQueue#source()}
     * @param elapsed how long the proxy has been running
     * @param last true for the summary when it stops
     */
    public StatisticsEvent toEvent(String source, Duration elapsed, boolean last) {
        List<StatisticsEvent.Peer> peers = new ArrayList<>();
        for (ServerStatistics v : servers) {
            Map<String, Long> c = new LinkedHashMap<>();
            c.put("connections", v.connections());
            c.put("in_flight", v.inFlight());
            c.put("unanswered", v.unanswered());
            peers.add(new StatisticsEvent.Peer("server", v.address(), null, v.requests(), v.replies(), 0, 0,
                    StatisticsEvent.Latency.NONE, c));
        }
        for (SubscriberStatistics v : subscribers) {
            Map<String, Long> c = new LinkedHashMap<>();
            c.put("connected", v.connected() ? 1L : 0L);
            c.put("topics", (long) v.subscriptions());
            c.put("dropped", v.dropped());
            peers.add(new StatisticsEvent.Peer("subscriber", v.address(), null, 0, v.queued(), 0, 0,
                    StatisticsEvent.Latency.NONE, c));
        }
        return new StatisticsEvent(Instant.now(), source, null, last, elapsed, counters(), peers, List.of());
    }

    /**
     * One line for people, e.g. {@code in 5 msgs (5 B), out 5 msgs (5 B), captured 10, capture
     * dropped 0}; then what went wrong, if anything: undeliverable and unanswered requests, which
     * subscribers lost captures, and clients refused per socket ({@code clients refused (frontend 2)}).
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
        if (refused.values().stream().anyMatch(n -> n > 0)) {
            sb.append(", clients refused (").append(refused.entrySet().stream().filter(e -> e.getValue() > 0)
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))).append(')');
        }
        return sb.toString();
    }
}
