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

    /**
     * Any failure in one line: a {@code ZmqTapException}'s own sentence, anything else as its simple
     * name and message, e.g. {@code OutOfMemoryError: Java heap space}.
     */
    public static String oneLine(Throwable e) {
        String msg = e.getMessage();
        if (e instanceof ZmqTapException) {
            return msg;
        }
        return e.getClass().getSimpleName() + (msg == null ? "" : ": " + msg.replace('\n', ' '));
    }
}
