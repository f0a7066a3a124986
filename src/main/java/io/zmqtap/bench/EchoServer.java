package io.zmqtap.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;
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
public final class EchoServer implements AutoCloseable {
    private static final int POLL_MILLIS = 100;

    private final ZMQ.Socket socket;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;

    private EchoServer(ZContext ctx) {
        socket = ctx.createSocket(SocketType.ROUTER);
        socket.setReceiveTimeOut(POLL_MILLIS);
        socket.setLinger(0);
        // A ROUTER drops a reply when its peer's queue is full: unlimited, so the harness never drops.
        socket.setHWM(0);
        socket.bind("tcp://127.0.0.1:*");
        thread = new Thread(this::serve, "bench-echo");
        thread.setDaemon(true);
    }

    /** Binds a loopback ephemeral port and starts echoing. */
    public static EchoServer start(ZContext ctx) {
        EchoServer server = new EchoServer(ctx);
        server.thread.start();
        return server;
    }

    /** The address clients or proxies connect to, e.g. {@code tcp://127.0.0.1:41234}. */
    public String endpoint() {
        return socket.getLastEndpoint();
    }

    private void serve() {
        try {
            while (running) {
                Msg msg = socket.recvMsg(0);
                if (msg == null) {
                    continue; // receive timeout: look at the running flag again
                }
                // The routing id comes first; sending the frames back in order returns them to the sender.
                socket.sendMsg(msg, msg.hasMore() ? ZMQ.SNDMORE : 0);
                while (msg.hasMore()) {
                    msg = socket.recvMsg(0);
                    socket.sendMsg(msg, msg.hasMore() ? ZMQ.SNDMORE : 0);
                }
            }
        } catch (ZMQException e) {
            // context closed under us: nothing left to serve
        } finally {
            socket.close();
            stopped.countDown();
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            if (!stopped.await(5, TimeUnit.SECONDS)) {
                thread.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
