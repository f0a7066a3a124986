package io.zmqtap.proxy;

import io.zmqtap.event.Direction;
import java.nio.ByteBuffer;
import zmq.Msg;

/**
 * The JeroMQ engine's {@link ForwardedMessage}: the frames of a {@link ProxiedMessage} through the
 * views it kept of them ({@link ProxiedMessage#shareForCapture()}), which share the bytes JeroMQ
 * sent on. One instance serves every message of its loop.
 */
final class JeromqMessage extends ForwardedMessage {
    /** True when a ROUTER frontend puts the client's routing id first (and no ROUTER backend swaps it away). */
    private final boolean routedByFrontend;
    private ProxiedMessage message;

    JeromqMessage(String source, boolean routedByFrontend) {
        super(source);
        this.routedByFrontend = routedByFrontend;
    }

    JeromqMessage set(Direction direction, ProxiedMessage message, long seq) {
        this.direction = direction;
        this.message = message;
        this.seq = seq;
        this.routed = routedByFrontend && message.count > 1;
        return this;
    }

    @Override
    public int frameCount() {
        return message.count;
    }

    @Override
    public ByteBuffer frame(int index) {
        Msg m = msg(index);
        ByteBuffer b = m.buf();
        return b.position(0).limit(m.size()).slice().asReadOnlyBuffer();
    }

    @Override
    public int frameSize(int index) {
        return msg(index).size();
    }

    @Override
    public long size() {
        return message.bytes;
    }

    @Override
    public byte[] copyFrame(int index) {
        Msg m = msg(index);
        byte[] copy = new byte[m.size()];
        m.getBytes(0, copy, 0, copy.length);
        return copy;
    }

    private Msg msg(int index) {
        if (index < 0 || index >= message.count) {
            throw new IndexOutOfBoundsException("frame " + index + " of " + message.count);
        }
        return message.captureFrames[index];
    }

    @Override
    void writeTo(Capture capture) {
        capture.frames(direction, message, seq);
    }
}
