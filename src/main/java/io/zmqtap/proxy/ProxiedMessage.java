package io.zmqtap.proxy;

import zmq.Msg;

/**
 * One multipart message on its way through the proxy, with the capture's views of its frames.
 *
 * <p>The capture views share the frames' bytes ({@link Msg#Msg(Msg)} duplicates the buffer, not
 * the payload): capturing costs an object per frame, never a payload copy.
 */
final class ProxiedMessage {
    private static final int INTERNAL_FLAGS = Msg.IDENTITY | Msg.COMMAND | Msg.CREDENTIAL;

    final Msg[] frames;
    final int count;
    final long bytes;
    Msg[] captureFrames;

    /**
     * Clears JeroMQ's internal flags on a received frame so only its bytes travel on: a routing id
     * from a ROUTER carries the IDENTITY flag, and an inproc ROUTER or a capture pipe would skip it.
     */
    static Msg plain(Msg frame) {
        frame.resetFlags(INTERNAL_FLAGS);
        return frame;
    }

    ProxiedMessage(Msg[] frames, int count, long bytes) {
        this.frames = frames;
        this.count = count;
        this.bytes = bytes;
    }

    /** Makes the capture's views; must run before the frames are handed to a socket. */
    void shareForCapture() {
        Msg[] views = new Msg[count];
        for (int i = 0; i < count; i++) {
            views[i] = new Msg(frames[i]);
        }
        captureFrames = views;
    }

    /** Swaps the first two frames, as pyzmq does between two ROUTERs so replies find their way. */
    void swapRoutingIds() {
        if (count >= 2) {
            Msg first = frames[0];
            frames[0] = frames[1];
            frames[1] = first;
        }
    }
}
