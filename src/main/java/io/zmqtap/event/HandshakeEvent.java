package io.zmqtap.event;

import java.time.Instant;
import java.util.Map;

/**
 * One peer's half of a ZMTP handshake: its greeting and its metadata (READY, or PLAIN's INITIATE).
 *
 * <pre>
 * 10:15:02.480  c1  in   ready  REQ  ZMTP 3.1 NULL  identity client_id_abc
 * </pre>
 *
 * For CURVE the metadata is encrypted: the event then carries the greeting only ({@code socketType}
 * null) and is reported when the greeting arrives.
 *
 * @param time when the handshake was seen
 * @param source which source saw it, e.g. a tap's listen address
 * @param conn the connection id, e.g. {@code c1}
 * @param direction {@code IN}: the client's handshake; {@code OUT}: the server's
 * @param version the ZMTP version this peer greeted with, e.g. {@code 3.1}
 * @param mechanism the security mechanism, e.g. {@code NULL}, {@code PLAIN}, {@code CURVE}
 * @param asServer the greeting's as-server flag
 * @param socketType the peer's {@code Socket-Type}, or null when not visible
 * @param identity the peer's {@code Identity} property, or null when it set none
 * @param properties every other metadata property (e.g. {@code Resource}), name to value, in wire order
 */
public record HandshakeEvent(
        Instant time,
        String source,
        String conn,
        Direction direction,
        String version,
        String mechanism,
        boolean asServer,
        String socketType,
        Frame identity,
        Map<String, Frame> properties)
        implements CaptureEvent {
    public HandshakeEvent {
        properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
    }
}
