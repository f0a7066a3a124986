package io.zmqtap.proxy;

import io.zmqtap.endpoint.Notices;
import io.zmqtap.event.StatisticsEvent;
import java.util.List;
import java.util.Map;

/**
 * The wire engine as a proxy: a {@link WireLoop} whose frontend and backend sides route through a
 * {@link WireRouter}, with the capture (on the same loop when zmqtap publishes it itself) and the
 * control socket served between turns. Runs on the proxy's thread.
 */
final class WireQueue extends Forwarder implements WireLoop.Owner {
    private final WireRouter router;
    private final Capture capture;
    private final Steering steering;
    private final WireMemory memory;
    private final Notices notices;
    private WireLoop loop;

    WireQueue(WireRouter router, Capture capture, Steering steering, WireMemory memory, Notices notices) {
        this.router = router;
        this.capture = capture;
        this.steering = steering;
        this.memory = memory;
        this.notices = notices;
    }

    /** The loop to run; set once, before {@link #run()}. */
    void attach(WireLoop loop) {
        this.loop = loop;
    }

    @Override
    public void run() {
        try {
            loop.run();
        } catch (RuntimeException | Error e) {
            fail(e);
        } finally {
            running = false;
        }
    }

    @Override
    public boolean pauseRequested() {
        return pauseRequested;
    }

    @Override
    public void chores() {
        if (steering != null) {
            steering.serve(this);
        }
        capture.drainSubscriptions();
    }

    @Override
    public long idleMillis() {
        return steering != null || capture.enabled() ? 10 : 100;
    }

    @Override
    protected void wake() {
        if (loop != null) {
            loop.wake();
        }
    }

    @Override
    int captureSubscriptions() {
        return capture.subscribedTopics();
    }

    @Override
    Map<String, SocketStatistics> peerStatistics() {
        return router.peerStatistics();
    }

    @Override
    List<StatisticsEvent.Peer> clientPeers() {
        return router.clientPeers();
    }

    @Override
    ProxyStatistics statistics() {
        return new ProxyStatistics(router.frontendCounters(), router.backendCounters(), capture.captured(),
                capture.dropped(), router.undeliverable(), router.unanswered(), router.serverStatistics(),
                capture.subscribers(), refused(),
                new ProxyStatistics.Memory(memory.used(), memory.peak(), memory.limit()), notices.total());
    }

    /** What the notices said so far, by kind (for tests and the summary). */
    Map<String, Long> noticeCounts() {
        return notices.counts();
    }

    List<ServerStatistics> servers() {
        return router.serverStatistics();
    }
}
