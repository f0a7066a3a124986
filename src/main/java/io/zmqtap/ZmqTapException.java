package io.zmqtap;

/**
 * A problem the user can fix: a bad endpoint, a port in use, an unknown socket type.
 *
 * <p>The message is one complete sentence naming the problem; the CLI prints it as is, without a
 * stack trace.
 */
public class ZmqTapException extends RuntimeException {
    public ZmqTapException(String message) {
        super(message);
    }

    public ZmqTapException(String message, Throwable cause) {
        super(message, cause);
    }
}
