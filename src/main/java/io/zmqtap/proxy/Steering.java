package io.zmqtap.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * The control socket: libzmq {@code zmq_proxy_steerable} commands plus zmqtap's extras.
 *
 * <pre>
 * PAUSE            stop reading either side (messages wait in ZeroMQ's queues)   reply: empty frame
 * RESUME           go on                                                         reply: empty frame
 * TERMINATE        stop the proxy                                                reply: empty frame
 * STATISTICS       8 frames of uint64 in host byte order, as libzmq sends them:
 *                  frontend msgs in, bytes in, msgs out, bytes out, then the same for the backend
 * STATISTICS JSON  one frame: {"frontend":{...},"backend":{...},"captured":..,"capture_dropped":..,
 *                  "undeliverable":..,"paused":false,"uptime_s":..,"rates":{...},
 *                  "peers":{"client_id_abc":{"msgs_in":5,...},"0x006b8b4567":{...}}}
 *                  (rates are per second since the previous STATISTICS JSON; peers are the clients
 *                  of a ROUTER frontend by routing id)
 * </pre>
 *
 * A REP control socket answers every request (libzmq's newer proxies do the same, so a REQ client
 * never hangs); an unknown command gets {@code ERROR unknown command 'X'}. A PAIR control socket
 * gets replies to STATISTICS only, as in libzmq.
 */
final class Steering {
    private final ZMQ.Socket socket;
    private final boolean replyAlways;
    private final long startNanos = System.nanoTime();
    private long lastNanos = startNanos;
    private ProxyStatistics last;

    Steering(ZMQ.Socket socket) {
        this.socket = socket;
        this.replyAlways = socket.getSocketType() == SocketType.REP;
    }

    /** Serves every command waiting; true if any was handled. */
    boolean serve(Forwarder loop) {
        boolean served = false;
        byte[] request;
        while ((request = socket.recv(ZMQ.DONTWAIT)) != null) {
            while (socket.hasReceiveMore()) {
                socket.recv(ZMQ.DONTWAIT); // commands are one frame; ignore anything extra
            }
            handle(new String(request, StandardCharsets.US_ASCII).strip(), loop);
            served = true;
        }
        return served;
    }

    private void handle(String command, Forwarder loop) {
        switch (command.toUpperCase(Locale.ROOT)) {
            case "PAUSE" -> {
                loop.pause();
                ack();
            }
            case "RESUME" -> {
                loop.resume();
                ack();
            }
            case "TERMINATE" -> {
                loop.stop();
                ack();
            }
            case "STATISTICS" -> sendStatistics(loop.statistics());
            case "STATISTICS JSON" -> socket.send(json(loop));
            default -> {
                if (replyAlways) {
                    socket.send("ERROR unknown command '" + command
                            + "' (expected PAUSE, RESUME, TERMINATE, STATISTICS or STATISTICS JSON)");
                }
            }
        }
    }

    private void ack() {
        if (replyAlways) {
            socket.send(new byte[0]);
        }
    }

    /** libzmq's layout: 8 uint64 frames in host byte order. */
    private void sendStatistics(ProxyStatistics s) {
        long[] values = {
            s.frontend().messagesIn(), s.frontend().bytesIn(), s.frontend().messagesOut(), s.frontend().bytesOut(),
            s.backend().messagesIn(), s.backend().bytesIn(), s.backend().messagesOut(), s.backend().bytesOut(),
        };
        for (int i = 0; i < values.length; i++) {
            byte[] frame = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(values[i]).array();
            socket.send(frame, i < values.length - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    private String json(Forwarder loop) {
        ProxyStatistics s = loop.statistics();
        long now = System.nanoTime();
        ObjectNode o = StatisticsJson.of(s);
        o.put("paused", loop.paused());
        o.put("uptime_s", (now - startNanos) / 1e9);
        ObjectNode rates = o.putObject("rates");
        double seconds = Math.max(1e-9, (now - lastNanos) / 1e9);
        ProxyStatistics before = last == null ? StatisticsJson.ZERO : last;
        rates.put("interval_s", seconds);
        rates.put("frontend_in_msgs_per_s", (s.frontend().messagesIn() - before.frontend().messagesIn()) / seconds);
        rates.put("backend_in_msgs_per_s", (s.backend().messagesIn() - before.backend().messagesIn()) / seconds);
        rates.put("captured_per_s", (s.captured() - before.captured()) / seconds);
        ObjectNode peers = o.putObject("peers");
        loop.peerStatistics().forEach((id, c) -> {
            ObjectNode p = peers.putObject(id);
            p.put("msgs_in", c.messagesIn());
            p.put("bytes_in", c.bytesIn());
            p.put("msgs_out", c.messagesOut());
            p.put("bytes_out", c.bytesOut());
        });
        last = s;
        lastNanos = now;
        return o.toString();
    }
}
