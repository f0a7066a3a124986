package io.zmqtap.bench;

import java.util.concurrent.TimeUnit;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * JeroMQ's own {@code ZMQ.proxy(frontend ROUTER, backend DEALER, capture PUB, control PAIR)} on a
 * thread with its own context. Its capture copies each message frame for frame with no direction
 * marker; the steerable variant's {@code TERMINATE} command stops it cleanly.
 */
public final class JeromqProxySetup implements Setup {
    private static final long JOIN_SECONDS = 5;

    @Override
    public String name() {
        return "jeromq-proxy";
    }

    @Override
    public Route start(Testbed testbed) {
        ZContext proxyCtx = new ZContext();
        try {
            ZMQ.Socket frontend = bind(proxyCtx, SocketType.ROUTER, "tcp://127.0.0.1:*");
            ZMQ.Socket backend = proxyCtx.createSocket(SocketType.DEALER);
            backend.setLinger(0);
            backend.connect(testbed.serverEndpoint());
            ZMQ.Socket capture = bind(proxyCtx, SocketType.PUB, "tcp://127.0.0.1:*");
            String controlAddress = "inproc://bench-proxy-control-" + System.identityHashCode(proxyCtx);
            ZMQ.Socket control = bind(proxyCtx, SocketType.PAIR, controlAddress);
            ZMQ.Socket steer = proxyCtx.createSocket(SocketType.PAIR);
            steer.connect(controlAddress);

            Thread thread = new Thread(() -> {
                try {
                    ZMQ.proxy(frontend, backend, capture, control);
                } catch (ZMQException e) {
                    // context closed while proxying: the proxy is over either way
                }
            }, "bench-jeromq-proxy");
            thread.setDaemon(true);
            thread.start();

            Runnable stop = () -> {
                steer.send(ZMQ.PROXY_TERMINATE, 0);
                join(thread);
                proxyCtx.close();
            };
            return CapturedRoute.subscribe(testbed, frontend.getLastEndpoint(), capture.getLastEndpoint(), stop);
        } catch (RuntimeException e) {
            proxyCtx.close();
            throw e;
        }
    }

    private static ZMQ.Socket bind(ZContext ctx, SocketType type, String address) {
        ZMQ.Socket s = ctx.createSocket(type);
        s.setLinger(0);
        s.bind(address);
        return s;
    }

    private static void join(Thread thread) {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(JOIN_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
