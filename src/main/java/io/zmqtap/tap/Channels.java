package io.zmqtap.tap;

import java.io.Closeable;
import java.io.IOException;

/** Closing sockets that are going away anyway. */
final class Channels {
    private Channels() {}

    /** Closes {@code c} (null is fine); a failure is ignored because the socket is being discarded. */
    static void closeQuietly(Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            // nothing left to release or report
        }
    }
}
