package io.zmqtap.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
 *                  "undeliverable":..,"unanswered":..,"servers":[...],"subscribers":[...],
 *                  "memory":{...},"notices":..,"paused":false,"uptime_s":..,"rates":{...},
 *                  "peers":{"client_id_abc":{"msgs_in":5,...},"0x006b8b4567":{...}}}
 *                  (see StatisticsJson)
 *                  (rates are per second since the previous STATISTICS JSON; peers are the clients
 *                  of a ROUTER frontend by routing id)
 * </pre>
 *
 * A REP control socket answers every request (libzmq 4.3.5 and later do the same, so a REQ client
 * never hangs); an unknown command gets {@code ERROR unknown command 'X'}. A PAIR control socket
 * gets replies to STATISTICS only, as in libzmq.
 *
 * <p>What is asked for as REP is a ROUTER that behaves exactly as a REP towards its clients: it
 * reads {@code [routing id, envelope..., "", command]} and replies with the same envelope. The
 * ROUTER lets zmqtap name itself: a ROUTER's routing id travels in its ZMTP READY as the
 * {@code Identity} property, which a REP's never does. So a client can tell zmqtap (whose steering
 * is safe to extend) from libzmq's proxy (which aborts the whole process on a command it does not
 * know, up to 4.3.4) before it sends anything zmqtap-only:
 *
 * <pre>{@code
 * zmq.Msg reply = req.recvMsg(0);   // e.g. the reply to STATISTICS, which both understand
 * boolean zmqtap = Steering.ROUTING_ID.equals(reply.getMetadata().get(zmq.io.Metadata.IDENTITY));
 * }</pre>
 */
public final class Steering {
    /** The routing id of zmqtap's REP control socket, in every reply's metadata as {@code Identity}. */
    public static final String ROUTING_ID = "zmqtap-control";

    private final ZMQ.Socket socket;
    /** A ROUTER playing REP: it takes requests out of their envelopes, and replies to every one. */
    private final boolean actsAsRep;
    private final long startNanos = System.nanoTime();
    private long lastNanos = startNanos;
    private ProxyStatistics last;
    /** The routing frames of the request being served (a ROUTER's), sent back in front of its reply. */
    private List<byte[]> envelope = List.of();

    /**
     * Serves commands on {@code socket}, made with {@link #socketType(SocketType)}; names a ROUTER
     * with {@link #ROUTING_ID}, so call this before the socket binds or connects.
     */
    Steering(ZMQ.Socket socket) {
        this.socket = socket;
        this.actsAsRep = socket.getSocketType() == SocketType.ROUTER;
        if (actsAsRep) {
            socket.setIdentity(ROUTING_ID.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** The socket type that serves a control socket of {@code type} (REP or PAIR): a ROUTER for REP. */
    static SocketType socketType(SocketType type) {
        return type == SocketType.REP ? SocketType.ROUTER : type;
    }

    /** Serves every command waiting; true if any was handled. */
    boolean serve(Forwarder loop) {
        boolean served = false;
        byte[] first;
        while ((first = socket.recv(ZMQ.DONTWAIT)) != null) {
            List<byte[]> frames = new ArrayList<>();
            frames.add(first);
            while (socket.hasReceiveMore()) {
                frames.add(socket.recv(ZMQ.DONTWAIT));
            }
            int body = actsAsRep ? bodyStart(frames) : 0;
            if (body < 0) {
                continue; // no envelope: a REP drops such a message too
            }
            envelope = frames.subList(0, body);
            // commands are one frame; anything after it is ignored
            handle(new String(frames.get(body), StandardCharsets.US_ASCII).strip(), loop);
            served = true;
        }
        return served;
    }

    /**
     * Where the request starts in {@code [routing id, envelope..., "", command, ...]}: after the
     * first empty frame; -1 when there is none or nothing follows it.
     */
    private static int bodyStart(List<byte[]> frames) {
        for (int i = 1; i < frames.size() - 1; i++) {
            if (frames.get(i).length == 0) {
                return i + 1;
            }
        }
        return -1;
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
            case "STATISTICS JSON" -> reply(json(loop).getBytes(StandardCharsets.UTF_8));
            default -> {
                if (actsAsRep) {
                    reply(("ERROR unknown command '" + command
                            + "' (expected PAUSE, RESUME, TERMINATE, STATISTICS or STATISTICS JSON)")
                            .getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }

    private void ack() {
        if (actsAsRep) {
            reply(new byte[0]);
        }
    }

    /** Sends a reply to the request being served, behind its envelope. */
    private void reply(byte[]... frames) {
        for (byte[] routing : envelope) {
            socket.sendMore(routing);
        }
        for (int i = 0; i < frames.length; i++) {
            socket.send(frames[i], i < frames.length - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    /** libzmq's layout: 8 uint64 frames in host byte order. */
    private void sendStatistics(ProxyStatistics s) {
        long[] values = {
            s.frontend().messagesIn(), s.frontend().bytesIn(), s.frontend().messagesOut(), s.frontend().bytesOut(),
            s.backend().messagesIn(), s.backend().bytesIn(), s.backend().messagesOut(), s.backend().bytesOut(),
        };
        byte[][] frames = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            frames[i] = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(values[i]).array();
        }
        reply(frames);
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
