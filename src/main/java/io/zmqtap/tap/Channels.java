package io.zmqtap.tap;

import io.zmqtap.endpoint.Closing;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/** Closing sockets that are going away anyway. */
final class Channels {
    private Channels() {}

    /**
     * Closes {@code c} (null is fine), with a TCP reset instead of a FIN when {@code reset}: the
     * peer learns at once that the connection failed, and no TIME_WAIT state is left behind.
     */
    static void close(SocketChannel c, boolean reset) {
        if (c == null) {
            return;
        }
        if (reset) {
            try {
                if (c.isOpen() && c.supportedOptions().contains(StandardSocketOptions.SO_LINGER)) {
                    c.setOption(StandardSocketOptions.SO_LINGER, 0); // close with RST, not FIN
                }
            } catch (IOException | RuntimeException e) {
                // already closed or never connected: closing below is all that is left to do
            }
        }
        Closing.quietly(c);
    }
}
