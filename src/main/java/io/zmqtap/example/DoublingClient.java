package io.zmqtap.example;

import io.zmqtap.ZmqTapException;
import io.zmqtap.endpoint.Endpoint;
import io.zmqtap.endpoint.Sockets;
import io.zmqtap.security.SocketSecurity;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The reference client: a REQ socket that sends "0".."N-1" one at a time and prints
 * {@code i result:  2i} for each reply.
 *
 * <pre>{@code
 * DoublingClient.run(">tcp://localhost:4444", "client_id_abc", 5, Duration.ofSeconds(2), out);
 * // 0 result:  0
 * // 1 result:  2 ...
 * }</pre>
 */
public final class DoublingClient {
    private DoublingClient() {}

    /**
     * Runs the client; throws {@link ZmqTapException} when a reply does not come within {@code timeout}.
     *
     * @param identity the REQ socket's identity (routing id), or {@code null} to let the ROUTER pick one
     */
    public static void run(String endpoints, String identity, int count, Duration timeout, PrintWriter out) {
        run(endpoints, identity, count, timeout, out, null);
    }

    /** As {@link #run(String, String, int, Duration, PrintWriter)}, speaking {@code security} (null: NULL). */
    public static void run(String endpoints, String identity, int count, Duration timeout, PrintWriter out,
                           SocketSecurity security) {
        try (ZContext context = new ZContext(1)) {
            ZMQ.Socket socket = context.createSocket(SocketType.REQ);
            if (security != null) {
                security.apply(socket, null);
            }
            socket.setLinger(0);
            socket.setReceiveTimeOut((int) timeout.toMillis());
            socket.setSendTimeOut((int) timeout.toMillis()); // a connect waits for the peer (IMMEDIATE)
            if (identity != null && !identity.isEmpty()) {
                socket.setIdentity(identity.getBytes(StandardCharsets.UTF_8));
            }
            Sockets.attach(socket, Endpoint.parseList(endpoints), "client");
            for (int i = 0; i < count; i++) {
                if (!socket.send(Integer.toString(i))) {
                    throw new ZmqTapException("could not send request " + i + " to " + endpoints + " within "
                            + timeout.toMillis() + " ms (is the server or queue running?)");
                }
                byte[] reply = socket.recv();
                if (reply == null) {
                    throw new ZmqTapException("no reply to request " + i + " from " + endpoints + " within "
                            + timeout.toMillis() + " ms (is the server or queue running?)");
                }
                out.println(i + " result:  " + new String(reply, StandardCharsets.UTF_8));
                out.flush();
            }
        }
    }
}
