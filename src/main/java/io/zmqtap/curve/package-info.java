/**
 * CurveZMQ (RFC 26) as ZMTP 3.x carries it, as a pure codec: bytes in, bytes out, no sockets.
 *
 * <ul>
 * <li>{@link io.zmqtap.curve.CurveServerHandshake} and {@link io.zmqtap.curve.CurveClientHandshake}:
 *     the two sides of HELLO, WELCOME, INITIATE, READY / ERROR;</li>
 * <li>{@link io.zmqtap.curve.CurveSession}: the MESSAGE boxes of an established connection, one
 *     sealer and one opener (each direction its own nonces, so each may live on its own thread);</li>
 * <li>{@link io.zmqtap.curve.FrameBuffer}: ZMTP 3.x greeting and frames cut from a byte stream,
 *     bounded;</li>
 * <li>{@link io.zmqtap.curve.CurveBridge} and {@link io.zmqtap.curve.CurveRelay}: a peer in the
 *     middle that terminates CURVE on both sides (the decrypting tap), handshake and relay.</li>
 * </ul>
 *
 * <p>The boxes are NaCl's, through jnacl (JeroMQ's own CURVE dependency); keys come from
 * {@link io.zmqtap.security.Certificates}.
 */
package io.zmqtap.curve;
