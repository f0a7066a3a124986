package io.zmqtap.proxy;

/**
 * Traffic through one side of a proxy, counted as libzmq's {@code zmq_proxy_steerable} does: a
 * multipart message counts once, its bytes are the sum of its frames.
 *
 * @param messagesIn messages received on this socket
 * @param bytesIn bytes received on this socket
 * @param messagesOut messages sent on this socket
 * @param bytesOut bytes sent on this socket
 */
public record SocketStatistics(long messagesIn, long bytesIn, long messagesOut, long bytesOut) {}
