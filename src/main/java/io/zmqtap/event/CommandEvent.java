package io.zmqtap.event;

import java.time.Instant;

/**
 * A ZMTP command other than the handshake metadata: a subscription, a heartbeat, an error, a
 * security handshake step.
 *
 * <pre>
 * 10:15:02.490  c1  in   SUBSCRIBE "weather"
 * 10:15:02.490  c2  in   SUBSCRIBE "weather"  (ZMTP 3.0 data frame)
 * 10:15:07.001  c1  out  PING  ttl 0.0 s  context ""
 * 10:15:02.410  c3  in   HELLO  username "admin"  password ****
 * 10:15:02.410  c4  in   MESSAGE  CURVE, encrypted, 58 B
 * </pre>
 *
 * @param time when it was seen
 * @param source which source saw it, e.g. a tap's listen address
 * @param conn the connection id, e.g. {@code c1}
 * @param direction who sent it: {@code IN} the client, {@code OUT} the server
 * @param name the command name, e.g. {@code SUBSCRIBE}, {@code PING}, {@code ERROR}, {@code HELLO}
 * @param topic the topic of a {@code SUBSCRIBE} or {@code CANCEL}, null for other commands
 * @param detail the rest in words (never a secret: PLAIN passwords are masked), may be empty
 */
public record CommandEvent(Instant time, String source, String conn, Direction direction, String name, Frame topic, String detail)
        implements CaptureEvent {}
