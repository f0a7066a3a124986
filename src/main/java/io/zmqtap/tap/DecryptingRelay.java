package io.zmqtap.tap;

import io.zmqtap.curve.CurveException;
import io.zmqtap.curve.CurveRelay;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A decrypting tap's {@link Flow.Transform}: one direction's {@link CurveRelay} (open, seal again),
 * the flow writing the re-sealed boxes on and showing the observer the plaintext frames.
 *
 * <p>Usage: {@code new Flow(client, upstream, feed, counter, new DecryptingRelay(bridge.clientToServer()))}
 */
final class DecryptingRelay implements Flow.Transform {
    /** A box that could not be relayed: the connection closes, and the cause is told. */
    static final class Failure extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient CurveException cause;

        Failure(CurveException cause) {
            super(cause.getMessage(), cause);
            this.cause = cause;
        }

        CurveException cause() {
            return cause;
        }
    }

    private final CurveRelay relay;

    DecryptingRelay(CurveRelay relay) {
        this.relay = relay;
    }

    @Override
    public Chunk apply(ByteBuffer read) throws IOException {
        try {
            CurveRelay.Output o = relay.relay(read);
            return new Chunk(o.wire(), o.plain());
        } catch (CurveException e) {
            throw new Failure(e);
        }
    }

    @Override
    public boolean hasBuffered() {
        return relay.hasBuffered();
    }
}
