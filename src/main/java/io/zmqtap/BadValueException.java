package io.zmqtap;

/**
 * A value the user gave that cannot be used: a negative count, a malformed endpoint or time, an
 * unknown socket type, a pair of socket types that make no proxy. The command line reports it in
 * one line and exits with 2, as for any usage error; a library caller gets it before anything
 * starts.
 *
 * <p>Usage: {@code throw new BadValueException("bad --hwm -5: expected 0 (none) or a positive number of messages");}
 */
public class BadValueException extends ZmqTapException {
    public BadValueException(String message) {
        super(message);
    }
}
