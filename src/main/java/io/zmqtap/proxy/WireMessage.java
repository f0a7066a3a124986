package io.zmqtap.proxy;

import io.zmqtap.event.Direction;
import io.zmqtap.zmtp.FrameScanner;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The wire engine's {@link ForwardedMessage}: the ZMTP frames as they lie in the reading peer's
 * buffer, after the routing id the queue put in front of a request. One instance serves every
 * message of its engine (set anew before each call), and frames are located only when a listener
 * asks for one: the capture feed copies the bytes whole and never does.
 */
final class WireMessage extends ForwardedMessage {
    private byte[] prefix;
    private ByteBuffer in;
    private int start;
    private int end;
    private int frames;
    /** Where each of the buffer's frames starts (its header); filled on the first {@link #frame} call. */
    private int[] headers = new int[8];
    private boolean located;

    WireMessage(String source) {
        super(source);
    }

    /**
     * Points the view at a message: {@code frames} ZMTP frames in {@code in} from {@code start} to
     * {@code end}, after {@code prefix} (a request's routing id) unless it is null.
     */
    WireMessage set(Direction direction, byte[] prefix, ByteBuffer in, int start, int end, int frames, long seq) {
        this.direction = direction;
        this.prefix = prefix;
        this.in = in;
        this.start = start;
        this.end = end;
        this.frames = frames;
        this.seq = seq;
        this.routed = true; // the wire engine runs ROUTER/DEALER queues only
        this.located = false;
        return this;
    }

    @Override
    public int frameCount() {
        return frames + (prefix != null ? 1 : 0);
    }

    @Override
    public ByteBuffer frame(int index) {
        if (prefix != null && index == 0) {
            return ByteBuffer.wrap(prefix).asReadOnlyBuffer();
        }
        int at = header(index);
        return in.asReadOnlyBuffer().slice(FrameScanner.bodyAt(in, at), FrameScanner.sizeAt(in, at));
    }

    @Override
    public int frameSize(int index) {
        if (prefix != null && index == 0) {
            return prefix.length;
        }
        return FrameScanner.sizeAt(in, header(index));
    }

    @Override
    public byte[] copyFrame(int index) {
        if (prefix != null && index == 0) {
            return prefix.clone();
        }
        int at = header(index);
        byte[] copy = new byte[FrameScanner.sizeAt(in, at)];
        in.get(FrameScanner.bodyAt(in, at), copy);
        return copy;
    }

    /** Where frame {@code index} (counting the prefix) starts in the buffer. */
    private int header(int index) {
        int i = index - (prefix != null ? 1 : 0);
        if (i < 0 || i >= frames) {
            throw new IndexOutOfBoundsException("frame " + index + " of " + frameCount());
        }
        if (!located) {
            if (headers.length < frames) {
                headers = Arrays.copyOf(headers, Math.max(frames, 2 * headers.length));
            }
            int at = start;
            for (int f = 0; f < frames; f++) {
                headers[f] = at;
                at = FrameScanner.bodyAt(in, at) + FrameScanner.sizeAt(in, at);
            }
            located = true;
        }
        return headers[i];
    }

    @Override
    void writeTo(Capture capture) {
        capture.wire(direction, prefix, in, start, end, seq);
    }
}
