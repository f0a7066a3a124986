package io.zmqtap.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.endpoint.Endpoint;
import io.zmqtap.endpoint.HandshakeWatchdog;
import io.zmqtap.endpoint.Sockets;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** JeroMQ peers for proxy tests: every socket has a receive timeout, and the context closes them all. */
final class Wire implements AutoCloseable {
    static final int TIMEOUT_MS = 5_000;
    final ZContext context = new ZContext(1);

    ZMQ.Socket socket(SocketType type) {
        ZMQ.Socket s = context.createSocket(type);
        s.setReceiveTimeOut(TIMEOUT_MS);
        s.setSendTimeOut(TIMEOUT_MS);
        s.setLinger(0);
        return s;
    }

    /** A socket connected to the first of the queue's resolved endpoints. */
    ZMQ.Socket connect(SocketType type, List<String> endpoints) {
        ZMQ.Socket s = socket(type);
        connect(s, address(endpoints));
        return s;
    }

    /** Connects as zmqtap does, with JeroMQ's handshake race worked around (see HandshakeWatchdog). */
    static void connect(ZMQ.Socket s, String address) {
        Sockets.attach(s, List.of(new Endpoint(false, address)), "test");
    }

    /**
     * A SUB subscribed to everything on the queue's capture, returned once the queue has seen the
     * subscription; its connection is watched as zmqtap's own subscribers are.
     */
    ZMQ.Socket subscriber(MonitoredQueue queue) throws InterruptedException {
        return subscriber(queue, 1000);
    }

    /** As {@link #subscriber(MonitoredQueue)}, with a receive high-water mark of {@code rcvHwm} messages. */
    ZMQ.Socket subscriber(MonitoredQueue queue, int rcvHwm) throws InterruptedException {
        return subscriber(queue, rcvHwm, () -> queue.awaitCaptureSubscriber(Duration.ofMillis(50)));
    }

    /** Whether a new subscriber's subscription is in yet; may wait a little itself. */
    interface Subscribed {
        boolean yet() throws InterruptedException;
    }

    /**
     * As {@link #subscriber(MonitoredQueue, int)}, waiting until {@code subscribed} says this
     * subscriber's subscription is in (e.g. when another subscriber is there already, so that the
     * queue having one says nothing). Meanwhile the watchdog redials a connection whose greeting
     * JeroMQ stalled: waiting without it, such a subscriber never subscribes.
     */
    ZMQ.Socket subscriber(MonitoredQueue queue, int rcvHwm, Subscribed subscribed) throws InterruptedException {
        ZMQ.Socket sub = socket(SocketType.SUB);
        sub.setRcvHWM(rcvHwm);
        sub.subscribe(new byte[0]);
        HandshakeWatchdog watchdog = HandshakeWatchdog.watch(context, sub, Sockets.WATCHDOG_STALL_MS);
        connect(sub, address(queue.captureEndpoints()));
        long end = System.nanoTime() + TIMEOUT_MS * 1_000_000L;
        while (!subscribed.yet()) {
            watchdog.check();
            assertThat(System.nanoTime()).as("capture subscription within %d ms", TIMEOUT_MS).isLessThan(end);
            Thread.sleep(10); // a poll interval, as Awaitility's: the condition may not block by itself
        }
        return sub;
    }

    /** A socket bound on a free loopback port; returns it, address via {@link ZMQ.Socket#getLastEndpoint()}. */
    ZMQ.Socket bind(SocketType type) {
        ZMQ.Socket s = socket(type);
        s.bind("tcp://127.0.0.1:*");
        return s;
    }

    static String address(List<String> endpoints) {
        return endpoints.get(0).substring(1);
    }

    /** Receives one whole multipart message; fails the test when none comes within the timeout. */
    static List<byte[]> receive(ZMQ.Socket s) {
        List<byte[]> frames = new ArrayList<>();
        do {
            byte[] f = s.recv();
            assertThat(f).as("a frame within %d ms", TIMEOUT_MS).isNotNull();
            frames.add(f);
        } while (s.hasReceiveMore());
        return frames;
    }

    static List<String> strings(List<byte[]> frames) {
        List<String> out = new ArrayList<>();
        for (byte[] f : frames) {
            out.add(new String(f, StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    static void send(ZMQ.Socket s, String... frames) {
        for (int i = 0; i < frames.length; i++) {
            s.send(frames[i].getBytes(StandardCharsets.ISO_8859_1), i < frames.length - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    /**
     * Waits until {@code value} (a counter) has stayed the same for 300 ms, at most the test timeout,
     * and returns it: how a test sees that something stopped, e.g. a queue no longer reading a client.
     */
    static long awaitSteady(java.util.function.LongSupplier value) throws InterruptedException {
        long end = System.nanoTime() + TIMEOUT_MS * 1_000_000L;
        long last = value.getAsLong();
        long since = System.nanoTime();
        while (System.nanoTime() - since < 300_000_000L) {
            assertThat(System.nanoTime()).as("a steady value within %d ms", TIMEOUT_MS).isLessThan(end);
            Thread.sleep(20); // sampling a counter over time: there is no event to wait on
            long now = value.getAsLong();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            }
        }
        return last;
    }

    @Override
    public void close() {
        context.close();
    }
}
