package io.zmqtap.endpoint;

import io.zmqtap.BadValueException;
import io.zmqtap.ZmqTapException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where zmqtap's own ZMTP code (the wire engine, the capture publisher, the tap) listens or
 * connects with NIO: a {@code tcp://host:port} or a real {@code ipc:///path} (a Unix domain
 * stream socket, as libzmq uses; JeroMQ only emulates ipc over TCP, which libzmq peers cannot reach).
 *
 * <pre>
 *   tcp://127.0.0.1:5555     host and port; host * is every interface, port * or 0 a free one (listening)
 *   ipc:///tmp/queue.sock    a socket file; ipc://* a fresh one in a new temporary directory
 * </pre>
 *
 * <p>Usage:
 * <pre>{@code
 * NetAddress a = NetAddress.parse("frontend", "ipc:///tmp/q.sock", true);
 * ServerSocketChannel server = a.listen(1024);       // unlinks a stale socket file first, as libzmq does
 * String bound = a.bound(server);                    // "ipc:///tmp/q.sock" or "tcp://127.0.0.1:41234"
 * SocketChannel c = NetAddress.parse("backend", "tcp://localhost:5555", false).open();
 * }</pre>
 */
public sealed interface NetAddress permits NetAddress.Tcp, NetAddress.Ipc {
    /** The accept queue zmqtap asks for unless told otherwise: a burst of connects is not refused or retried. */
    int DEFAULT_BACKLOG = 1024;

    /** The address to bind or connect to (resolved now for TCP). */
    SocketAddress socketAddress();

    /** Opens a listening channel here, in blocking mode; a one-line {@link ZmqTapException} on failure. */
    default ServerSocketChannel listen(int backlog) {
        return listen(backlog, "cannot listen on " + this);
    }

    /**
     * The same, with the failure's wording chosen by the caller: {@code failure + ": " + why}, e.g.
     * {@code cannot bind frontend to tcp://*:4444: address already in use}.
     */
    ServerSocketChannel listen(int backlog, String failure);

    /** A new unconnected channel of the right family, in blocking mode. */
    SocketChannel openChannel() throws IOException;

    /** The address a listening channel got, e.g. {@code tcp://127.0.0.1:41234} for port 0. */
    String bound(ServerSocketChannel server);

    /** Releases what listening left behind: the socket file of an ipc listener. */
    default void unlisten() {}

    /** {@code tcp://host:port} or {@code ipc:///path}. */
    @Override
    String toString();

    /**
     * Parses a {@code tcp://} or {@code ipc://} endpoint given for {@code role} (named in errors);
     * an {@code @}/{@code >} prefix is accepted and ignored: {@code listening} says which it is.
     */
    static NetAddress parse(String role, String text, boolean listening) {
        String s = text == null ? "" : text.strip();
        if (s.startsWith("@") || s.startsWith(">")) {
            s = s.substring(1);
        }
        if (s.startsWith("ipc://")) {
            return Ipc.parse(role, text, s.substring("ipc://".length()), listening);
        }
        Endpoint e = Endpoint.parse(s); // the syntax and the port; where it binds or connects is the caller's
        if (!e.address().startsWith("tcp://")) {
            throw new BadValueException("bad endpoint '" + text + "' for " + role
                    + ": zmqtap speaks ZMTP itself over tcp:// and ipc:// only, not " + e.address());
        }
        return Tcp.parse(role, text, e.address().substring("tcp://".length()), listening);
    }

    /** Sets what a fresh connection needs: no Nagle delay on TCP (small messages go out at once). */
    static void configure(SocketChannel channel) throws IOException {
        if (channel.getRemoteAddress() instanceof InetSocketAddress
                || channel.getLocalAddress() instanceof InetSocketAddress) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
    }

    /**
     * The peer of a connected channel for messages, e.g. {@code 127.0.0.1:50312}; for ipc, whose
     * peers have no address, {@code ipc peer} and the socket's path.
     */
    static String describePeer(SocketChannel channel) {
        try {
            SocketAddress a = channel.getRemoteAddress();
            if (a instanceof InetSocketAddress i) {
                return (i.getAddress() == null ? i.getHostString() : i.getAddress().getHostAddress()) + ":" + i.getPort();
            }
            SocketAddress local = channel.getLocalAddress();
            if (a instanceof UnixDomainSocketAddress u && !u.getPath().toString().isEmpty()) {
                return "ipc://" + u.getPath();
            }
            return local instanceof UnixDomainSocketAddress u ? "ipc peer on " + u.getPath() : "?";
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /** A TCP host and port; host {@code *} is every interface, port 0 an ephemeral one (listening only). */
    record Tcp(String host, int port) implements NetAddress {
        static Tcp parse(String role, String text, String hostPort, boolean listening) {
            int colon = hostPort.lastIndexOf(':');
            String host = hostPort.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            String portText = hostPort.substring(colon + 1);
            int port = portText.equals("*") || portText.equals("!") ? 0 : Integer.parseInt(portText);
            if (!listening && host.equals("*")) {
                throw new BadValueException("bad endpoint '" + text + "' for " + role
                        + ": cannot connect to host * (name the host, e.g. tcp://127.0.0.1:" + portText + ")");
            }
            if (!listening && port == 0) {
                throw new BadValueException("bad endpoint '" + text + "' for " + role + ": needs a port from 1 to 65535");
            }
            return new Tcp(host, port);
        }

        @Override
        public InetSocketAddress socketAddress() {
            return host.equals("*") ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
        }

        @Override
        public ServerSocketChannel listen(int backlog, String failure) {
            InetSocketAddress address = socketAddress();
            if (address.isUnresolved()) {
                throw new ZmqTapException(failure + ": unknown host " + host);
            }
            ServerSocketChannel s = null;
            try {
                s = ServerSocketChannel.open();
                s.bind(address, backlog);
                return s;
            } catch (IOException | RuntimeException e) {
                Closing.quietly(s);
                throw new ZmqTapException(failure + ": " + reason(e), e);
            }
        }

        @Override
        public SocketChannel openChannel() throws IOException {
            return SocketChannel.open();
        }

        @Override
        public String bound(ServerSocketChannel server) {
            try {
                InetSocketAddress a = (InetSocketAddress) server.getLocalAddress();
                return new Tcp(host.equals("*") ? a.getAddress().getHostAddress() : host, a.getPort()).toString();
            } catch (IOException e) {
                return toString();
            }
        }

        @Override
        public String toString() {
            return "tcp://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * A Unix domain socket at {@code path}. Listening removes a stale socket file first (libzmq
     * does the same, so a crashed program does not block the path) but never a file that is not a
     * socket; {@link #unlisten()} removes the file again.
     */
    record Ipc(Path path) implements NetAddress {
        static Ipc parse(String role, String text, String rest, boolean listening) {
            if (rest.isEmpty()) {
                throw new BadValueException("bad endpoint '" + text + "' for " + role + ": expected ipc:///path/to/socket");
            }
            if (rest.startsWith("@")) {
                throw new BadValueException("bad endpoint '" + text + "' for " + role
                        + ": abstract ipc names (ipc://@name) are not supported by Java; use a path such as ipc:///tmp/name.sock");
            }
            if (rest.equals("*")) {
                if (!listening) {
                    throw new BadValueException("bad endpoint '" + text + "' for " + role + ": cannot connect to ipc://*");
                }
                try {
                    return new Ipc(Files.createTempDirectory("zmqtap-ipc").resolve("socket"));
                } catch (IOException e) {
                    throw new ZmqTapException("cannot make a temporary directory for " + text + ": " + e.getMessage(), e);
                }
            }
            // ZeroMQ writes ipc:///tmp/x for the absolute /tmp/x and ipc://x.sock for a relative path
            return new Ipc(Path.of(rest));
        }

        @Override
        public UnixDomainSocketAddress socketAddress() {
            return UnixDomainSocketAddress.of(path);
        }

        @Override
        public ServerSocketChannel listen(int backlog, String failure) {
            ServerSocketChannel s = null;
            try {
                if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                    if (!Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS).isOther()) {
                        throw new ZmqTapException(failure + ": " + path + " exists and is not a socket");
                    }
                    if (stillServed()) {
                        throw new ZmqTapException(failure + ": address already in use");
                    }
                    Files.deleteIfExists(path); // a stale socket left by a program that ended
                }
                s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                s.bind(socketAddress(), backlog);
                return s;
            } catch (IOException | RuntimeException e) {
                Closing.quietly(s);
                if (e instanceof ZmqTapException z) {
                    throw z;
                }
                throw new ZmqTapException(failure + ": " + reason(e), e);
            }
        }

        /** True when a program still accepts on the socket file (then it is not stale). */
        private boolean stillServed() {
            try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                return probe.connect(socketAddress());
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public SocketChannel openChannel() throws IOException {
            return SocketChannel.open(StandardProtocolFamily.UNIX);
        }

        @Override
        public String bound(ServerSocketChannel server) {
            return toString();
        }

        @Override
        public void unlisten() {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // nothing left to do: the file is only a name
            }
        }

        @Override
        public String toString() {
            return "ipc://" + path;
        }
    }

    /** Java's reason in ZeroMQ's words where they differ, e.g. {@code address already in use}. */
    private static String reason(Exception e) {
        String why = String.valueOf(e.getMessage());
        if (e instanceof BindException && why.toLowerCase(Locale.ROOT).contains("in use")) {
            return "address already in use";
        }
        if (e instanceof BindException && why.toLowerCase(Locale.ROOT).contains("assign")) {
            return "address not available on this machine";
        }
        if (e.getMessage() == null) {
            return e.getClass().getSimpleName();
        }
        return why.isEmpty() ? why : Character.toLowerCase(why.charAt(0)) + why.substring(1);
    }
}
