package io.zmqtap.zmtp;

import java.nio.ByteBuffer;

/** Incremental ZMTP decoder for ONE direction of one TCP connection. No I/O, no JeroMQ imports. */
public final class ZmtpDecoder {
    public static final int DEFAULT_MAX_FRAME = 1 << 20;

    public ZmtpDecoder(ZmtpListener listener) {
        this(listener, DEFAULT_MAX_FRAME);
    }

    public ZmtpDecoder(ZmtpListener listener, int maxFrame) {
        throw new UnsupportedOperationException("not yet");
    }

    public void feed(ByteBuffer bytes) {
        throw new UnsupportedOperationException("not yet");
    }

    public void feed(byte[] bytes, int offset, int length) {
        throw new UnsupportedOperationException("not yet");
    }

    public void end() {
        throw new UnsupportedOperationException("not yet");
    }

    public long offset() {
        throw new UnsupportedOperationException("not yet");
    }

    public boolean failed() {
        throw new UnsupportedOperationException("not yet");
    }

    public Greeting greeting() {
        throw new UnsupportedOperationException("not yet");
    }
}
