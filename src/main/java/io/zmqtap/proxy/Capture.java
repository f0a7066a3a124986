package io.zmqtap.proxy;

import io.zmqtap.event.Direction;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Where a proxy copies each message it forwarded: its capture feed, one {@link ForwardListener}
 * among others. Two kinds: zmqtap's own ZMTP publisher ({@link CapturePublisher}: PUB over tcp:// or
 * ipc://, a bounded queue and a drop count per subscriber) and a JeroMQ socket
 * ({@link SocketCapture}: inproc, PUSH, DEALER, PAIR). Each takes messages in both engines' forms,
 * straight from the engine's own bytes ({@link ForwardedMessage#writeTo}): no event is made, and the
 * wire engine's bytes are copied once, into the subscribers' buffers. Calls come from the proxy's
 * forwarding thread; never waits.
 */
interface Capture extends ForwardListener {
    /** The engine's message, encoded straight from its bytes. */
    @Override
    default void forwarded(ForwardedMessage message) {
        message.writeTo(this);
    }

    /** True when there is a capture feed at all. */
    boolean enabled();

    /**
     * A message the wire engine forwarded: its ZMTP frames lie in {@code in} from {@code start} to
     * {@code end}; {@code routingId}, if not null, is the frame the queue put in front (a request's
     * client). {@code seq} numbers forwarded messages from 1.
     */
    void wire(Direction direction, byte[] routingId, ByteBuffer in, int start, int end, long seq);

    /** A message the JeroMQ engine forwarded (its {@code captureFrames}). */
    void frames(Direction direction, ProxiedMessage message, long seq);

    /**
     * The forwarding thread has handed over a burst of messages: a capture on another thread may be
     * woken now, once, rather than once per message. Nothing by default.
     */
    default void endOfBurst() {}

    /** Reads what subscribers said (an XPUB capture socket's subscriptions); the default has nothing to read. */
    default void drainSubscriptions() {}

    /** Subscriptions held by capture subscribers now (0 for sockets that cannot tell). */
    int subscribedTopics();

    /** Capture messages made from forwarded ones. */
    long captured();

    /** Capture messages lost: a subscriber (or the socket) could not take them; counted once per subscriber. */
    long dropped();

    /** Each subscriber's own counts, when the capture can tell them apart; empty otherwise. */
    default List<SubscriberStatistics> subscribers() {
        return List.of();
    }

    /** No capture feed. */
    Capture NONE = new Capture() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public void wire(Direction direction, byte[] routingId, ByteBuffer in, int start, int end, long seq) {}

        @Override
        public void frames(Direction direction, ProxiedMessage message, long seq) {}

        @Override
        public int subscribedTopics() {
            return 0;
        }

        @Override
        public long captured() {
            return 0;
        }

        @Override
        public long dropped() {
            return 0;
        }
    };
}
