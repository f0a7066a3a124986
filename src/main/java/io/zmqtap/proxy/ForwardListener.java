package io.zmqtap.proxy;

import io.zmqtap.event.NoticeEvent;

/**
 * Sees every message a {@link MonitoredQueue} forwards, in process: metrics, a console, a file, a
 * feed to elsewhere. The queue's own capture feed is one of these.
 *
 * <p>{@link #forwarded} is called on the forwarding thread, once per message, after the message
 * went on its way, in the order messages were forwarded. It must never block and should be quick:
 * the next message waits for it. What it gets is a view of the proxy's own buffers, valid only
 * during the call; {@link ForwardedMessage#toEvent()} copies it into an immutable
 * {@link io.zmqtap.event.MessageEvent} to keep or hand to another thread. A listener that throws
 * is removed, with a notice; forwarding goes on.
 *
 * <p>Counting messages and bytes per direction, without copying anything:
 * <pre>{@code
 * LongAdder requests = new LongAdder(), requestBytes = new LongAdder();
 * MonitoredQueue queue = MonitoredQueue.builder()
 *         .frontend("@tcp://*:4444").backend(">tcp://localhost:5555")
 *         .listener(m -> {
 *             if (m.direction() == Direction.IN) {
 *                 requests.increment();
 *                 requestBytes.add(m.size());
 *             }
 *         })
 *         .start();
 * }</pre>
 *
 * A console on another thread: copy each message and hand it over without waiting (a full queue
 * loses the event, never the proxied message):
 * <pre>{@code
 * BlockingQueue<CaptureEvent> events = new ArrayBlockingQueue<>(10_000);
 * ForwardListener console = new ForwardListener() {
 *     public void forwarded(ForwardedMessage m) { events.offer(m.toEvent()); }
 *     public void notice(NoticeEvent n) { events.offer(n); }
 * };
 * MonitoredQueue.builder().listener(console).start();
 * // elsewhere: CaptureEvent e = events.take(); System.out.println(e);
 * }</pre>
 */
@FunctionalInterface
public interface ForwardListener {
    /** A message went through the proxy; {@code message} is valid only during this call. */
    void forwarded(ForwardedMessage message);

    /**
     * Something the proxy reports that is not traffic: a dropped connection, a server lost or back,
     * requests left unanswered, connections shed over the memory budget. Repeats are summed up (at
     * most a few of a kind each 10 s). May come from a thread other than the forwarding one (one of
     * JeroMQ's), even while {@link #forwarded} runs. Nothing by default.
     */
    default void notice(NoticeEvent notice) {}
}
