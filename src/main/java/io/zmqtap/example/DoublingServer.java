package io.zmqtap.example;

import io.zmqtap.endpoint.Endpoint;
import io.zmqtap.endpoint.SocketThread;
import io.zmqtap.endpoint.Sockets;
import io.zmqtap.security.SocketSecurity;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The reference server: a REP socket that doubles integers ("3" gets "6").
 *
 * <p>A request that is not an integer gets {@code error: not an integer: '...'} and a log line; the
 * server keeps serving.
 *
 * <pre>{@code
 * try (DoublingServer server = DoublingServer.start("@tcp://*:5555", new PrintWriter(System.out, true))) {
 *     server.awaitTermination();
 * }
 * }</pre>
 */
public final class DoublingServer implements AutoCloseable {
    private final ZMQ.Socket socket;
    private final List<String> endpoints;
    private final PrintWriter log;
    private final SocketThread thread;
    private volatile long served;

    private DoublingServer(ZContext context, ZMQ.Socket socket, List<String> endpoints, PrintWriter log) {
        this.socket = socket;
        this.endpoints = endpoints;
        this.log = log;
        this.thread = new SocketThread("zmqtap-example-server", context, this::serve);
    }

    /** Binds (or connects) a REP socket now and serves on a thread of its own. */
    public static DoublingServer start(String endpoints, PrintWriter log) {
        return start(endpoints, log, null);
    }

    /**
     * As {@link #start(String, PrintWriter)}, speaking {@code security} (e.g. serving CURVE with
     * {@code SocketSecurity.curveServer(cert)}: any client that knows its public key), or NULL when null.
     */
    public static DoublingServer start(String endpoints, PrintWriter log, SocketSecurity security) {
        ZContext context = new ZContext(1);
        try {
            ZMQ.Socket socket = context.createSocket(SocketType.REP);
            if (security != null) {
                security.apply(socket, null);
            }
            socket.setReceiveTimeOut(100); // wake up to notice close()
            socket.setLinger(0);
            // REP drops replies silently once its send queue is full; pipelining clients
            // (a DEALER with thousands in flight) would lose replies at the default of 1000.
            socket.setSndHWM(100_000);
            socket.setRcvHWM(100_000);
            List<String> resolved = Sockets.attach(socket, Endpoint.parseList(endpoints), "server");
            DoublingServer server = new DoublingServer(context, socket, resolved, log);
            server.thread.start();
            return server;
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /** The doubling rule, with its error reply for anything but an integer. */
    public static String reply(String request) {
        try {
            return Long.toString(Math.multiplyExact(Long.parseLong(request.strip()), 2));
        } catch (NumberFormatException | ArithmeticException e) {
            return "error: not an integer: '" + request + "'";
        }
    }

    private void serve(BooleanSupplier running) {
        while (running.getAsBoolean()) {
            byte[] request = socket.recv();
            if (request == null) {
                continue;
            }
            String text = new String(request, StandardCharsets.UTF_8);
            String reply = reply(text);
            log.println("received " + text);
            if (reply.startsWith("error")) {
                log.println("rejected " + quoted(text) + ": not an integer");
            }
            socket.send(reply.getBytes(StandardCharsets.UTF_8));
            log.println("replied " + reply);
            log.flush();
            served++;
        }
    }

    private static String quoted(String s) {
        return "'" + s + "'";
    }

    /** Resolved endpoints, e.g. {@code @tcp://0.0.0.0:5555}. */
    public List<String> endpoints() {
        return endpoints;
    }

    public long served() {
        return served;
    }

    public void awaitTermination() throws InterruptedException {
        thread.awaitTermination();
    }

    @Override
    public void close() {
        thread.close();
    }
}
