package io.zmqtap.event;

import java.time.Instant;

/**
 * A TCP connection through a tap opened or closed.
 *
 * <p>The tap reports {@code OPENED} once it knows both peers' socket types (or as soon as it knows it
 * never will: encrypted handshake, protocol error, close), so the line can say who talks to whom:
 *
 * <pre>
 * 10:15:02.481  c1  open   127.0.0.1:53122 -&gt; 127.0.0.1:5555  REQ -&gt; REP  ZMTP 3.1 NULL
 * 10:15:04.007  c1  close  127.0.0.1:53122 -&gt; 127.0.0.1:5555  REQ -&gt; REP  ZMTP 3.1 NULL  in 5 msgs 182 B  out 5 msgs 170 B
 * </pre>
 *
 * @param time when it happened
 * @param source which source saw it, e.g. a tap's listen address
 * @param conn the connection id, e.g. {@code c1}
 * @param kind opened or closed
 * @param client the address of the peer that connected to the tap, e.g. {@code 127.0.0.1:53122}
 * @param upstream the address the tap forwards to, e.g. {@code 127.0.0.1:5555}
 * @param clientSocketType the client's {@code Socket-Type}, or null when not (yet) known
 * @param serverSocketType the upstream peer's {@code Socket-Type}, or null when not (yet) known
 * @param version the ZMTP version the peers speak (the lower of both greetings), e.g. {@code 3.1}, or null
 * @param mechanism the security mechanism, e.g. {@code NULL}, or null when not known
 * @param bytesIn bytes forwarded client to server so far
 * @param bytesOut bytes forwarded server to client so far
 * @param messagesIn data messages decoded client to server so far
 * @param messagesOut data messages decoded server to client so far
 */
public record ConnectionEvent(
        Instant time,
        String source,
        String conn,
        Kind kind,
        String client,
        String upstream,
        String clientSocketType,
        String serverSocketType,
        String version,
        String mechanism,
        long bytesIn,
        long bytesOut,
        long messagesIn,
        long messagesOut)
        implements CaptureEvent {
    public enum Kind { OPENED, CLOSED }
}
