package io.zmqtap.proxy;

import io.zmqtap.feed.CaptureFrames;
import io.zmqtap.ZmqTapException;
import io.zmqtap.endpoint.BusyPoll;
import io.zmqtap.endpoint.Endpoint;
import io.zmqtap.endpoint.NetAddress;
import io.zmqtap.endpoint.Notices;
import java.io.IOException;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.zeromq.SocketType;

/**
 * Builds the wire engine for a {@link MonitoredQueue.Builder}: binds and dials the frontend and
 * backend (tcp:// or ipc://), and the capture feed when zmqtap publishes it itself (a PUB over
 * tcp:// or ipc://), all on one {@link WireLoop}; the control socket and any other capture are
 * JeroMQ sockets served between its turns.
 */
final class WireAssembly {
    private WireAssembly() {}

    /** True when zmqtap serves the capture itself: a PUB (or XPUB) on tcp:// or ipc:// endpoints. */
    static boolean ownsCapture(MonitoredQueue.Builder b) {
        if (b.capture == null || (b.captureType != SocketType.PUB && b.captureType != SocketType.XPUB)
                || b.captureSecurity != null || b.access.filtersAddresses()) { // zmqtap's publisher speaks NULL only
            return false;
        }
        return b.capture.stream().allMatch(e -> e.address().startsWith("tcp://") || e.address().startsWith("ipc://"));
    }

    /** Bytes one capture subscriber may have waiting: an eighth of the memory budget, 1 to 64 MiB. */
    static long subscriberBytes(MonitoredQueue.Builder b) {
        return Math.max(1L << 20, Math.min(64L << 20, b.maxMemory / 8));
    }

    static Assembly start(MonitoredQueue.Builder b) {
        QueueSockets sockets = QueueSockets.open(b);
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            Selector selector = Selector.open();
            opened.add(selector);
            WireMemory memory = new WireMemory(b.maxMemory);
            Listeners everyone = new Listeners(b.listeners, b.notices);
            Notices notices = new Notices(everyone);
            everyone.reportTo(notices);
            sockets.guard(b, notices);
            WireSide front = WireSide.frontend();
            WireSide back = WireSide.backend();
            List<WireLoop.Listener> listeners = new ArrayList<>();
            List<WireDialer> dialers = new ArrayList<>();
            List<String> frontResolved = attach(b, front, b.frontend, listeners, dialers, opened);
            List<String> backResolved = attach(b, back, b.backend, listeners, dialers, opened);
            String source = Assembly.sourceName(frontResolved);
            everyone.source(source);
            CaptureFrames frames = new CaptureFrames(b.captureFormat, b.inPrefix, b.outPrefix);
            List<String> captureResolved = new ArrayList<>();
            Capture capture = Capture.NONE;
            CapturePublisher publisher = null;
            if (ownsCapture(b)) {
                WireSide side = WireSide.capture();
                publisher = new CapturePublisher(side, frames, b.captureHwm, subscriberBytes(b));
                captureResolved.addAll(attach(b, side, b.capture, listeners, dialers, opened));
                capture = publisher;
            } else if (b.capture != null) {
                capture = sockets.attachCapture(b, frames, captureResolved);
            }
            everyone.capture(capture);
            Steering steering = sockets.attachControl(b);
            WireRouter router = new WireRouter(front, back, everyone.forwarding(), source, notices, b.maxInFlight);
            WireQueue queue = new WireQueue(router, capture, steering, memory, notices);
            queue.source(source);
            WireLoop loop = new WireLoop(selector, listeners, dialers, queue, settings(b, memory, notices));
            router.attach(loop.peers());
            queue.attach(loop);
            if (publisher != null) {
                publisher.attach(loop.peers());
            }
            Assembly assembly = new Assembly(queue, frontResolved, backResolved, captureResolved, sockets.controlEndpoints,
                    List.of(sockets));
            assembly.refusals = sockets::refusals;
            queue.refused(sockets::refusedBySocket);
            return assembly;
        } catch (IOException | RuntimeException e) {
            Assembly.closeAll(opened);
            sockets.close();
            if (e instanceof ZmqTapException z) {
                throw z;
            }
            throw new ZmqTapException("cannot start the wire engine: " + e.getMessage(), e);
        }
    }

    /** The loop's limits: the largest message also fits twice in the memory budget (read, then written). */
    static WireLoop.Settings settings(MonitoredQueue.Builder b, WireMemory memory, Notices notices) {
        long maxMessage = Math.min(b.maxMessageSize, Math.max(1, b.maxMemory / 2));
        return new WireLoop.Settings(BusyPoll.of(b.busyPoll), maxMessage, b.handshakeTimeout.toNanos(),
                b.maxConnections, memory, notices);
    }

    /** Binds or prepares to dial each endpoint of a side; returns them resolved ({@code @tcp://127.0.0.1:41234}). */
    static List<String> attach(MonitoredQueue.Builder b, WireSide side, List<Endpoint> endpoints,
                               List<WireLoop.Listener> listeners, List<WireDialer> dialers, List<AutoCloseable> opened) {
        List<String> resolved = new ArrayList<>();
        for (Endpoint e : endpoints) {
            NetAddress address = NetAddress.parse(side.role, e.address(), e.bind());
            if (e.bind()) {
                ServerSocketChannel server = address.listen(b.backlog, "cannot bind " + side.role + " to " + e.address());
                opened.add(server);
                opened.add(address::unlisten);
                listeners.add(new WireLoop.Listener(server, side, address));
                resolved.add("@" + address.bound(server));
            } else {
                if (address.socketAddress() instanceof java.net.InetSocketAddress a && a.isUnresolved()) {
                    throw new ZmqTapException("cannot connect " + side.role + " to " + e.address() + ": unknown host "
                            + a.getHostString());
                }
                dialers.add(new WireDialer(address, side));
                resolved.add(">" + e.address());
            }
        }
        return resolved;
    }
}
