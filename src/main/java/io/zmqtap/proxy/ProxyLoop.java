package io.zmqtap.proxy;

import io.zmqtap.endpoint.Notices;
import io.zmqtap.event.Direction;
import io.zmqtap.event.StatisticsEvent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import zmq.Msg;
import zmq.ZError;

/**
 * The proxy's forwarding loop; runs on one thread and owns the sockets while it runs.
 *
 * <p>Each turn drains up to {@link #BURST} ready messages per direction before polling again, as
 * libzmq's proxy does, so a busy proxy rarely polls. A message the destination cannot take is held
 * (backpressure: that direction stops reading until it goes through) rather than dropped; the only
 * proxied messages not delivered are those a ROUTER addresses to a peer that has gone, and they are
 * counted as undeliverable.
 */
final class ProxyLoop extends Forwarder {
    static final int BURST = 1000;
    private static final long IDLE_POLL_MS = 100;

    private final ProxySide frontend;
    private final ProxySide backend;
    private final Capture capture;
    /** Who sees each forwarded message (the capture feed, listeners); null for nobody. */
    private final ForwardListener listener;
    private final JeromqMessage view;
    private final WireMemory memory;
    private final Notices notices;
    private final Steering steering;
    private final boolean swapRoutingIds;
    private final PeerCounters peers;
    private final SocketWaiter waiter;
    private final SocketWaiter pausedWaiter;

    private volatile long undeliverable;
    private ProxiedMessage pendingIn;
    private ProxiedMessage pendingOut;
    private long sequence;

    /**
     * @param capture the capture feed (for its statistics and wake-ups; it also is one of the listeners)
     * @param listener who sees each forwarded message, or null for nobody
     * @param source the name messages carry as their source (the frontend endpoint)
     */
    ProxyLoop(ProxySide frontend, ProxySide backend, Capture capture, ForwardListener listener, String source,
              Steering steering, boolean swapRoutingIds, SocketWaiter waiter, SocketWaiter pausedWaiter,
              WireMemory memory, Notices notices) {
        this.frontend = frontend;
        this.backend = backend;
        this.capture = capture;
        this.listener = listener;
        // a ROUTER frontend puts the client's routing id first; between two ROUTERs it is swapped away
        this.view = new JeromqMessage(source, frontend.type == SocketType.ROUTER
                && backend.type != SocketType.ROUTER);
        this.memory = memory;
        this.notices = notices;
        this.steering = steering;
        this.swapRoutingIds = swapRoutingIds;
        this.peers = frontend.type == SocketType.ROUTER ? new PeerCounters() : null;
        this.waiter = waiter;
        this.pausedWaiter = pausedWaiter;
    }

    @Override
    public void run() {
        try {
            while (running) {
                boolean progressed = false;
                if (!pauseRequested) {
                    progressed = pump(frontend, backend, Direction.IN);
                    progressed |= pump(backend, frontend, Direction.OUT);
                    capture.endOfBurst();
                }
                if (steering != null) {
                    progressed |= steering.serve(this);
                }
                if (!progressed && running) {
                    capture.drainSubscriptions();
                    checkHandshakes(frontend);
                    checkHandshakes(backend);
                    idle();
                }
            }
        } catch (Terminated e) {
            // the context was closed under us (an embedding program shutting down): just stop
        } catch (RuntimeException | Error e) {
            fail(e);
        } finally {
            running = false;
            waiter.close();
            if (pausedWaiter != null) {
                pausedWaiter.close();
            }
        }
    }

    private static void checkHandshakes(ProxySide side) {
        if (side.watchdog != null) {
            side.watchdog.check();
        }
    }

    private void idle() {
        if (!pauseRequested && (pendingIn != null || pendingOut != null)) {
            return; // the retried send already waited for room (the socket's send timeout)
        }
        SocketWaiter w = pauseRequested ? pausedWaiter : waiter;
        if (w == null) {
            LockSupport.parkNanos(IDLE_POLL_MS * 1_000_000L);
        } else {
            w.await(IDLE_POLL_MS);
        }
    }

    /** Moves ready messages one way; true if anything moved. */
    private boolean pump(ProxySide from, ProxySide to, Direction direction) {
        if (!from.canReceive() || !to.canSend()) {
            return false;
        }
        boolean progressed = false;
        ProxiedMessage pending = direction == Direction.IN ? pendingIn : pendingOut;
        if (pending != null) {
            if (!deliver(to, pending, direction)) {
                return false;
            }
            setPending(direction, null);
            progressed = true;
        }
        for (int i = 0; i < BURST; i++) {
            ProxiedMessage message = receive(from);
            if (message == null) {
                break;
            }
            progressed = true;
            if (swapRoutingIds) {
                message.swapRoutingIds();
            }
            if (listener != null) {
                message.shareForCapture();
            }
            if (!deliver(to, message, direction)) {
                setPending(direction, message);
                break;
            }
        }
        return progressed;
    }

    private void setPending(Direction direction, ProxiedMessage message) {
        if (direction == Direction.IN) {
            pendingIn = message;
        } else {
            pendingOut = message;
        }
    }

    private ProxiedMessage receive(ProxySide from) {
        Msg first = from.base.recv(ZMQ.DONTWAIT);
        if (first == null) {
            checkTerminated(from.base.errno());
            return null;
        }
        Msg[] frames = new Msg[4];
        frames[0] = ProxiedMessage.plain(first);
        int count = 1;
        long bytes = first.size();
        Msg last = first;
        while (last.hasMore()) {
            // ZeroMQ delivers a multipart message whole: the remaining frames are already here
            last = from.base.recv(0);
            if (last == null) {
                checkTerminated(from.base.errno());
                throw new IllegalStateException(from.role + " lost the rest of a multipart message");
            }
            if (count == frames.length) {
                frames = Arrays.copyOf(frames, count * 2);
            }
            frames[count++] = ProxiedMessage.plain(last);
            bytes += last.size();
        }
        from.counters.received(bytes);
        if (peers != null && from == frontend && count > 1) {
            peers.received(frames[0], bytes);
        }
        return new ProxiedMessage(frames, count, bytes);
    }

    /** Sends a whole message; false if the destination has no room yet (try again later). */
    private boolean deliver(ProxySide to, ProxiedMessage message, Direction direction) {
        Msg[] frames = message.frames;
        int last = message.count - 1;
        // The first frame waits at most the socket's short send timeout; the rest cannot block.
        if (!to.base.send(frames[0], last > 0 ? ZMQ.SNDMORE : 0)) {
            int errno = to.base.errno();
            checkTerminated(errno);
            if (errno == ZError.EAGAIN) {
                return false;
            }
            // EHOSTUNREACH: a ROUTER (with ROUTER_MANDATORY) has no peer with that routing id any more.
            undeliverable = undeliverable + 1;
            return true;
        }
        for (int i = 1; i <= last; i++) {
            if (!to.base.send(frames[i], i < last ? ZMQ.SNDMORE : 0)) {
                checkTerminated(to.base.errno());
                throw new IllegalStateException(to.role + " refused part " + (i + 1) + " of a message: errno "
                        + to.base.errno());
            }
        }
        to.counters.sent(message.bytes);
        if (peers != null && to == frontend && message.count > 1) {
            peers.sent(frames[0], message.bytes);
        }
        sequence++;
        if (message.captureFrames != null) {
            listener.forwarded(view.set(direction, message, sequence));
        }
        return true;
    }

    private static void checkTerminated(int errno) {
        if (errno == ZError.ETERM) {
            throw new Terminated();
        }
    }

    @Override
    int captureSubscriptions() {
        return capture.subscribedTopics();
    }

    /** Per-client counts when the frontend is a ROUTER; empty otherwise. */
    @Override
    Map<String, SocketStatistics> peerStatistics() {
        return peers == null ? Map.of() : peers.snapshot();
    }

    @Override
    List<StatisticsEvent.Peer> clientPeers() {
        return peers == null ? List.of() : peers.peers();
    }

    @Override
    ProxyStatistics statistics() {
        return new ProxyStatistics(frontend.counters.snapshot(), backend.counters.snapshot(),
                capture.captured(), capture.dropped(), undeliverable, 0, List.of(), capture.subscribers(), refused(),
                new ProxyStatistics.Memory(memory.used(), memory.peak(), memory.limit()), notices.total());
    }

    /** The context was terminated while the loop was using a socket. */
    private static final class Terminated extends RuntimeException {
        Terminated() {
            super(null, null, false, false);
        }
    }
}
