package io.zmqtap.tap;

import io.zmqtap.ZmqTapException;
import io.zmqtap.endpoint.Endpoint;
import java.net.InetSocketAddress;

/**
 * A TCP host and port taken from a ZeroMQ endpoint such as {@code tcp://127.0.0.1:5555}.
 *
 * <p>The tap speaks plain TCP, so only {@code tcp://} endpoints make sense; a {@code @}/{@code >}
 * prefix is accepted and ignored (the option says whether the tap listens or connects). Host
 * {@code *} means every interface; port {@code *} or {@code 0} an ephemeral port, for listening only.
 *
 * <p>Usage: {@code TcpAddress.parse("--upstream", "tcp://localhost:5555", false).socketAddress()}
 *
 * @param host host name or address as written ({@code *} for every interface)
 * @param port port number, 0 for an ephemeral one
 */
public record TcpAddress(String host, int port) {
    /**
     * Parses {@code text} given for {@code option}; throws {@link ZmqTapException} with a one-line
     * reason when it is not a usable TCP endpoint.
     */
    public static TcpAddress parse(String option, String text, boolean listening) {
        Endpoint e = Endpoint.parse(listening && text != null ? text.replaceFirst("^(\\s*)>", "$1@") : text);
        if (!e.address().startsWith("tcp://")) {
            throw new ZmqTapException("bad endpoint '" + text + "' for " + option + ": the tap forwards TCP only, e.g. tcp://127.0.0.1:5555");
        }
        String hostPort = e.address().substring("tcp://".length());
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String portText = hostPort.substring(colon + 1);
        int port = portText.equals("*") || portText.equals("!") ? 0 : Integer.parseInt(portText);
        if (!listening && port == 0) {
            throw new ZmqTapException("bad endpoint '" + text + "' for " + option + ": needs a port from 1 to 65535");
        }
        return new TcpAddress(host, port);
    }

    /** The address to bind or connect to, resolved now (host {@code *} is the wildcard address). */
    public InetSocketAddress socketAddress() {
        return host.equals("*") ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    /** {@code tcp://host:port}, as written on the command line. */
    @Override
    public String toString() {
        return "tcp://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
