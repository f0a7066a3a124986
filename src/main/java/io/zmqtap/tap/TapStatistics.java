package io.zmqtap.tap;

/**
 * Totals over every connection a {@link WireTap} has handled so far.
 *
 * <p>Usage: {@code tap.statistics().summary() // "2 connections, in 182 B 5 msgs, out 170 B 5 msgs, 0 protocol errors"}
 *
 * @param connections connections accepted
 * @param active connections open right now
 * @param bytesIn bytes forwarded client to server
 * @param bytesOut bytes forwarded server to client
 * @param messagesIn data messages decoded client to server
 * @param messagesOut data messages decoded server to client
 * @param protocolErrors directions whose decoding stopped on a protocol error
 * @param upstreamFailures accepted connections closed because the upstream could not be reached
 * @param eventsDropped events not shown because the sink could not keep up
 */
public record TapStatistics(
        long connections,
        long active,
        long bytesIn,
        long bytesOut,
        long messagesIn,
        long messagesOut,
        long protocolErrors,
        long upstreamFailures,
        long eventsDropped) {

    /** One line for people, e.g. {@code 2 connections, in 182 B 5 msgs, out 170 B 5 msgs, 0 protocol errors}. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(connections).append(connections == 1 ? " connection" : " connections");
        sb.append(", in ").append(bytesIn).append(" B ").append(messagesIn).append(" msgs");
        sb.append(", out ").append(bytesOut).append(" B ").append(messagesOut).append(" msgs");
        sb.append(", ").append(protocolErrors).append(protocolErrors == 1 ? " protocol error" : " protocol errors");
        if (upstreamFailures > 0) {
            sb.append(", ").append(upstreamFailures).append(" upstream connect failures");
        }
        if (eventsDropped > 0) {
            sb.append(", ").append(eventsDropped).append(" events dropped (sink too slow)");
        }
        return sb.toString();
    }
}
