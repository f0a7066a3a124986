package io.zmqtap.endpoint;

/**
 * Closing what is going away anyway: a socket, a channel, a selector whose close may fail while
 * the program is shutting it down or dropping it, where there is nothing left to do about it.
 *
 * <p>Usage: {@code Closing.quietly(channel); // null is fine}
 */
public final class Closing {
    private Closing() {}

    /** Closes {@code c} (null is fine); a failure is ignored because {@code c} is being discarded. */
    public static void quietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // nothing left to release or report
        }
    }
}
