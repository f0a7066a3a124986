/**
 * ZeroMQ security for zmqtap's sockets, the way ZeroMQ's own tools do it: CURVE certificates in
 * CZMQ's zcert format ({@link io.zmqtap.security.Certificates}), the security a socket speaks
 * ({@link io.zmqtap.security.SocketSecurity}), and who may connect to a served socket (ZAP:
 * {@link io.zmqtap.security.AccessRules}, {@link io.zmqtap.security.Gatekeeper}). Crypto and the
 * file format are JeroMQ's ({@code ZCert}, {@code ZConfig}, {@code ZAuth}); nothing here is written
 * from scratch but the checks users need (file modes, clear errors, refusals reported).
 */
package io.zmqtap.security;
