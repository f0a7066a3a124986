package io.zmqtap.proxy;

import io.zmqtap.event.EventJson;
import io.zmqtap.event.StatisticsEvent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * STATISTICS JSON  one frame: a statistics event of zmqtap's JSON schema (EventJson, docs/json.md):
 *                  {"v":1,"type":"statistics","ts":"…Z","source":"tcp://127.0.0.1:4444","last":false,
 *                   "elapsed_s":12.5,"counters":{"frontend_messages_in":5,…,"captured":10,
 *                   "capture_dropped":0,"undeliverable":0,"unanswered":0,"notices":0,"memory_used":…,
 *                   "memory_peak":…,"memory_limit":…,"paused":0},
 *                   "peers":[{"role":"client","identity":"client_id_abc","messages_in":5,…},
 *                            {"role":"server","conn":"localhost:5555","messages_in":5,…,"in_flight":0},
 *                            {"role":"subscriber","conn":"127.0.0.1:50312",…,"dropped":0}],
 *                   "unanswered":[]}
 *                  (counters as in ProxyStatistics.counters(), plus paused 1 or 0; clients of a ROUTER
 *                  frontend by routing id, servers and capture subscribers by address)
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

    /** The statistics event of {@code STATISTICS JSON}: the proxy's, with its clients and whether it is paused. */
    static StatisticsEvent statistics(Forwarder loop, Duration elapsed) {
        StatisticsEvent proxy = loop.statistics().toEvent(loop.source(), elapsed, false);
        Map<String, Long> counters = new LinkedHashMap<>(proxy.counters());
        counters.put("paused", loop.paused() ? 1L : 0L);
        List<StatisticsEvent.Peer> peers = new ArrayList<>(loop.clientPeers());
        peers.addAll(proxy.peers());
        return new StatisticsEvent(proxy.time(), proxy.source(), null, false, elapsed, counters, peers, List.of());
    }

    private String json(Forwarder loop) {
        return EventJson.toJson(statistics(loop, Duration.ofNanos(System.nanoTime() - startNanos))).toString();
    }
}
