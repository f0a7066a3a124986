package io.zmqtap.proxy;

import io.zmqtap.feed.CaptureFrames;
import io.zmqtap.ZmqTapException;
import io.zmqtap.endpoint.BusyPoll;
import io.zmqtap.endpoint.Notices;
import java.io.IOException;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.zeromq.SocketType;

/**
 * Builds the JeroMQ engine for a {@link MonitoredQueue.Builder}: JeroMQ sockets for every pattern,
 * their large messages taken from the memory budget ({@link BudgetAllocator}), and the capture
 * published by zmqtap on a thread of its own when it can ({@link CaptureThread}).
 *
 * <p>When one of JeroMQ's own threads dies (an {@code Error} escaped its I/O loop), nothing would
 * be forwarded any more while the proxy looked alive: the queue fails instead, saying why, so a
 * command exits with one error line and a supervisor can restart it. Exceptions JeroMQ survives
 * become notices rather than stack traces on stderr.
 */
final class JeromqAssembly {
    private JeromqAssembly() {}

    static Assembly start(MonitoredQueue.Builder b) {
        QueueSockets sockets = QueueSockets.open(b);
        Listeners everyone = new Listeners(b.listeners, b.notices);
        Notices notices = new Notices(everyone);
        everyone.reportTo(notices);
        AtomicReference<Forwarder> forwarder = new AtomicReference<>();
        if (sockets.ownsContext()) {
            sockets.context.setUncaughtExceptionHandler((thread, e) -> {
                Forwarder f = forwarder.get();
                if (f != null) {
                    f.releaseReserve(); // first: the report needs heap
                    f.fail(describe(thread, e));
                }
            });
            sockets.context.setNotificationExceptionHandler((thread, e) ->
                    notices.report("JeroMQ: " + e.getClass().getSimpleName(), "JeroMQ: " + ZmqTapException.oneLine(e)));
        }
        // after the context's handlers (set before it starts), before anything binds: a handshake
        // that finds no ZAP handler is let in
        sockets.guard(b, notices);
        List<AutoCloseable> closeables = new ArrayList<>();
        CaptureThread captureThread = null;
        try {
            WireMemory memory = new WireMemory(b.maxMemory);
            BudgetAllocator allocator = new BudgetAllocator(memory);
            ProxySide front = sockets.side(b, "frontend", b.frontendType, b.frontend, allocator, b.maxMessageSize,
                    notices);
            ProxySide back = sockets.side(b, "backend", b.backendType, b.backend, allocator, b.maxMessageSize,
                    notices);
            String source = Assembly.sourceName(front.endpoints);
            everyone.source(source);
            CaptureFrames frames = new CaptureFrames(b.captureFormat, b.inPrefix, b.outPrefix);
            List<String> captureResolved = new ArrayList<>();
            Capture capture = Capture.NONE;
            if (WireAssembly.ownsCapture(b)) {
                captureThread = new CaptureThread();
                capture = startPublisher(b, captureThread, frames, memory, notices, captureResolved);
                closeables.add(captureThread);
            } else if (b.capture != null) {
                capture = sockets.attachCapture(b, frames, captureResolved);
            }
            everyone.capture(capture);
            Steering steering = sockets.attachControl(b);
            ProxyLoop loop = loop(b, sockets, front, back, capture, everyone.forwarding(), source, steering, memory,
                    notices);
            loop.source(source);
            forwarder.set(loop);
            closeables.add(sockets);
            Assembly assembly = new Assembly(loop, front.endpoints, back.endpoints, captureResolved, sockets.controlEndpoints,
                    closeables);
            assembly.refusals = sockets::refusals;
            loop.refused(sockets::refusedBySocket);
            return assembly;
        } catch (RuntimeException e) {
            if (captureThread != null) {
                captureThread.close();
            }
            sockets.close();
            throw e;
        }
    }

    private static ProxyLoop loop(MonitoredQueue.Builder b, QueueSockets sockets, ProxySide front, ProxySide back,
                                  Capture capture, ForwardListener listener, String source, Steering steering,
                                  WireMemory memory, Notices notices) {
        SocketWaiter waiter = new SocketWaiter(BusyPoll.of(b.busyPoll));
        if (front.canReceive()) {
            waiter.add(front.socket);
        }
        if (back.canReceive()) {
            waiter.add(back.socket);
        }
        if (sockets.capture != null && sockets.capture.getSocketType() == SocketType.XPUB) {
            waiter.add(sockets.capture);
        }
        SocketWaiter pausedWaiter = null;
        if (sockets.control != null) {
            waiter.add(sockets.control);
            pausedWaiter = new SocketWaiter(BusyPoll.OFF); // paused: nothing to hurry for
            pausedWaiter.add(sockets.control);
        }
        boolean swap = b.frontendType == SocketType.ROUTER && b.backendType == SocketType.ROUTER;
        return new ProxyLoop(front, back, capture, listener, source, steering, swap, waiter, pausedWaiter, memory,
                notices);
    }

    /** zmqtap's own publisher on a thread of its own, fed through a {@link CaptureHandoff}. */
    private static Capture startPublisher(MonitoredQueue.Builder b, CaptureThread thread, CaptureFrames frames,
                                          WireMemory memory, Notices notices, List<String> resolved) {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            Selector selector = Selector.open();
            opened.add(selector);
            WireSide side = WireSide.capture();
            CapturePublisher publisher = new CapturePublisher(side, frames, b.captureHwm, WireAssembly.subscriberBytes(b));
            List<WireLoop.Listener> listeners = new ArrayList<>();
            List<WireDialer> dialers = new ArrayList<>();
            resolved.addAll(WireAssembly.attach(b, side, b.capture, listeners, dialers, opened));
            WireLoop loop = new WireLoop(selector, listeners, dialers, thread, WireAssembly.settings(b, memory, notices));
            publisher.attach(loop.peers());
            CaptureHandoff handoff = new CaptureHandoff(publisher, frames, WireAssembly.subscriberBytes(b), thread::wake);
            thread.start(loop, handoff, b.threadName + "-capture");
            return handoff;
        } catch (IOException | RuntimeException e) {
            Assembly.closeAll(opened);
            if (e instanceof ZmqTapException z) {
                throw z;
            }
            throw new ZmqTapException("cannot start the capture feed: " + e.getMessage(), e);
        }
    }

    /** The reason a JeroMQ thread died, in one line; never throws (the heap may be exhausted). */
    private static Throwable describe(Thread thread, Throwable e) {
        try {
            return new ZmqTapException("JeroMQ's " + threadRole(thread) + " died: " + ZmqTapException.oneLine(e), e);
        } catch (Throwable again) {
            return e;
        }
    }

    private static String threadRole(Thread t) {
        String name = t.getName();
        return name.startsWith("iothread") ? "I/O thread" : name.startsWith("reaper") ? "reaper thread" : "thread " + name;
    }
}
