package io.zmqtap.bench;

import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import zmq.Msg;

/**
 * The server every bench setup talks to: a ROUTER that sends each message straight back, frame for
 * frame, on its own thread.
 *
 * <p>A ROUTER (rather than a REP) serves REQ clients and pipelining DEALER clients alike, directly or
 * through a proxy's DEALER, without one-request-at-a-time stalls. Frames are passed on as the
 * {@link Msg} objects received, so the echo copies no payload bytes.
 *
 * <p>Usage:
 * <pre>{@code
 * try (EchoServer server = EchoServer.start(ctx)) {
 *     client.connect(server.endpoint()); // tcp://127.0.0.1:41234
 * }
 * }</pre>
 */
public final class EchoServer extends SocketLoop {
    private static final int POLL_MILLIS = 100;

    private EchoServer(ZMQ.Socket socket) {
        super(socket, "bench-echo");
    }

    /** Binds a loopback ephemeral port and starts echoing. */
    public static EchoServer start(ZContext ctx) {
        ZMQ.Socket socket = ctx.createSocket(SocketType.ROUTER);
        socket.setReceiveTimeOut(POLL_MILLIS);
        socket.setLinger(0);
        // A ROUTER drops a reply when its peer's queue is full: unlimited, so the harness never drops.
        socket.setHWM(0);
        socket.bind("tcp://127.0.0.1:*");
        EchoServer server = new EchoServer(socket);
        server.startThread();
        return server;
    }

    /** The address clients or proxies connect to, e.g. {@code tcp://127.0.0.1:41234}. */
    public String endpoint() {
        return socket.getLastEndpoint();
    }

    @Override
    protected void turn() {
        Msg msg = socket.recvMsg(0);
        if (msg == null) {
            return; // receive timeout: the loop looks at its running flag again
        }
        // The routing id comes first; sending the frames back in order returns them to the sender.
        socket.sendMsg(msg, msg.hasMore() ? ZMQ.SNDMORE : 0);
        while (msg.hasMore()) {
            msg = socket.recvMsg(0);
            socket.sendMsg(msg, msg.hasMore() ? ZMQ.SNDMORE : 0);
        }
    }
}
