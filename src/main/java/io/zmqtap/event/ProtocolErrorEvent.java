package io.zmqtap.event;

import java.time.Instant;

/**
 * One direction of a connection broke the ZMTP protocol. The tap stops decoding that direction
 * and keeps forwarding its bytes unchanged.
 *
 * <pre>
 * 10:15:02.481  c2  in   ! protocol error at byte 0: bad greeting signature at offset 0: expected 0xff, got 0x47
 * </pre>
 *
 * @param time when it was seen
 * @param source which source saw it, e.g. a tap's listen address
 * @param conn the connection id, e.g. {@code c2}
 * @param direction which direction's bytes were bad
 * @param offset the offending byte's offset from the start of that direction
 * @param message one sentence naming the problem
 */
public record ProtocolErrorEvent(Instant time, String source, String conn, Direction direction, long offset, String message)
        implements CaptureEvent {}
