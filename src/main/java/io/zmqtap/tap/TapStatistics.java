package io.zmqtap.tap;

import java.util.LinkedHashMap;

/**
 * Totals over every connection a {@link WireTap} has handled so far.
 *
 * <p>Usage: {@code tap.statistics().summary() // "2 connections, in 182 B 5 msgs, out 170 B 5 msgs, 0 protocol errors"}
 *
 * @param connections connections accepted (not counting the refused ones)
 * @param active connections open right now
 * @param refused connections closed at once because the connection limit was reached
 * @param bytesIn bytes forwarded client to server
 * @param bytesOut bytes forwarded server to client
 * @param messagesIn data messages decoded client to server
 * @param messagesOut data messages decoded server to client
 * @param protocolErrors directions whose decoding stopped on a protocol error
 * @param upstreamFailures accepted connections closed because the upstream could not be reached
 * @param handshakeTimeouts connections dropped because their ZMTP handshake was not through in time
 * @param notices notices reported (refusals, upstream failures, timeouts, ...), shown or summed up
 * @param eventsDropped events not shown because the sink could not keep up
 */
public record TapStatistics(
        long connections,
        long active,
        long refused,
        long bytesIn,
        long bytesOut,
        long messagesIn,
        long messagesOut,
        long protocolErrors,
        long upstreamFailures,
        long handshakeTimeouts,
        long notices,
        long eventsDropped) {

    /**
     * Every count by its snake_case name, in the order above, as a statistics event carries them:
     * {@code connections}, {@code active}, {@code refused}, {@code bytes_in}, {@code bytes_out},
     * {@code messages_in}, {@code messages_out}, {@code protocol_errors}, {@code upstream_failures},
     * {@code handshake_timeouts}, {@code notices}, {@code events_dropped}.
     *
     * <p>Usage: {@code Pipeline.builder(tap.source()).counters(() -> tap.statistics().counters())}
     */
    public LinkedHashMap<String, Long> counters() {
        LinkedHashMap<String, Long> c = new LinkedHashMap<>();
        c.put("connections", connections);
        c.put("active", active);
        c.put("refused", refused);
        c.put("bytes_in", bytesIn);
        c.put("bytes_out", bytesOut);
        c.put("messages_in", messagesIn);
        c.put("messages_out", messagesOut);
        c.put("protocol_errors", protocolErrors);
        c.put("upstream_failures", upstreamFailures);
        c.put("handshake_timeouts", handshakeTimeouts);
        c.put("notices", notices);
        c.put("events_dropped", eventsDropped);
        return c;
    }

    /**
     * One line for people, e.g. {@code 2 connections, in 182 B 5 msgs, out 170 B 5 msgs, 0 protocol errors};
     * what went wrong is added when it happened, e.g. {@code , 150 refused at the connection limit, 153 notices}.
     */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(connections).append(connections == 1 ? " connection" : " connections");
        sb.append(", in ").append(bytesIn).append(" B ").append(messagesIn).append(" msgs");
        sb.append(", out ").append(bytesOut).append(" B ").append(messagesOut).append(" msgs");
        sb.append(", ").append(protocolErrors).append(protocolErrors == 1 ? " protocol error" : " protocol errors");
        if (refused > 0) {
            sb.append(", ").append(refused).append(" refused at the connection limit");
        }
        if (upstreamFailures > 0) {
            sb.append(", ").append(upstreamFailures).append(" upstream connect failures");
        }
        if (handshakeTimeouts > 0) {
            sb.append(", ").append(handshakeTimeouts).append(" dropped without a handshake");
        }
        if (notices > 0) {
            sb.append(", ").append(notices).append(notices == 1 ? " notice" : " notices");
        }
        if (eventsDropped > 0) {
            sb.append(", ").append(eventsDropped).append(" events dropped (sink too slow)");
        }
        return sb.toString();
    }
}
