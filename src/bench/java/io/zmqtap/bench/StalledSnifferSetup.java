package io.zmqtap.bench;

import io.zmqtap.proxy.MonitoredQueue;
import java.time.Duration;
import java.util.Optional;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * zmqtap's queue (default engine) whose only sniffer has subscribed and then stopped reading: the
 * capture fills up and the queue must drop captures, counting them, without slowing what it
 * proxies. Compared with {@code zmqtap} (a sniffer that keeps up), it shows what a stalled
 * sniffer costs the traffic; the target is at least 0.9x.
 */
public final class StalledSnifferSetup implements Setup {
    private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(2);
    private static final int ATTEMPTS = 3;
    private final Duration busyPoll;

    /** @param busyPoll the queue's busy-poll spell; empty: the default */
    public StalledSnifferSetup(Optional<Duration> busyPoll) {
        this.busyPoll = busyPoll.orElse(MonitoredQueue.DEFAULT_BUSY_POLL);
    }

    @Override
    public String name() {
        return Report.STALLED;
    }

    @Override
    public Route start(Testbed testbed) {
        MonitoredQueue queue = ZmqtapSetup.startQueue(testbed.serverEndpoint(), busyPoll, MonitoredQueue.Engine.AUTO);
        ZContext ctx = new ZContext(1);
        try {
            subscribe(ctx, queue);
        } catch (RuntimeException e) {
            ctx.close();
            queue.close();
            throw e;
        }
        // nobody counts captures: the sniffer never reads
        return new UncountedRoute(ZmqtapSetup.address(queue.frontendEndpoints().get(0)), () -> {
            try {
                ctx.close();
            } finally {
                queue.close();
            }
        });
    }

    /**
     * Subscribes the sniffer that will never read, and waits until the queue has its subscription.
     * A fresh JeroMQ 0.6.0 connection now and then never finishes its handshake (see
     * HandshakeWatchdog), so a sniffer that has not subscribed in time is replaced.
     */
    private static void subscribe(ZContext ctx, MonitoredQueue queue) {
        String capture = ZmqtapSetup.address(queue.captureEndpoints().get(0));
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            ZMQ.Socket sniffer = ctx.createSocket(SocketType.SUB);
            sniffer.setLinger(0);
            sniffer.setRcvHWM(1); // holds almost nothing: the backlog stays with the queue
            sniffer.subscribe(new byte[0]);
            sniffer.connect(capture);
            try {
                if (queue.awaitCaptureSubscriber(SUBSCRIBE_TIMEOUT)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the sniffer subscribed", e);
            }
            ctx.destroySocket(sniffer);
        }
        throw new IllegalStateException("the stalled sniffer did not subscribe in " + ATTEMPTS + " attempts of "
                + SUBSCRIBE_TIMEOUT.toSeconds() + " s");
    }
}
