package io.zmqtap.cli;

import io.zmqtap.BadValueException;
import io.zmqtap.security.SocketSecurity;
import java.io.Console;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * The PLAIN client of {@code --plain} and {@code --out-plain}: {@code USER:PASSWORD} as before, or
 * {@code USER} alone, the password then read from {@value #ENV} or, when that is unset and zmqtap
 * runs on a terminal, asked for there without echo. A password on the command line is in every
 * process listing ({@code ps}, {@code /proc/PID/cmdline}); these two ways keep it out.
 *
 * <pre>
 * ZMQTAP_PLAIN_PASSWORD=wonderland zmqtap watch tcp://queue:7777 --plain alice
 * zmqtap ctl tcp://127.0.0.1:6000 stats --plain alice      # asks: PLAIN password for alice (--plain):
 * </pre>
 */
final class PlainCredentials {
    /** The environment variable a password is read from when the option gives only a user name. */
    static final String ENV = "ZMQTAP_PLAIN_PASSWORD";

    private PlainCredentials() {}

    /** {@code value} of {@code option} as a PLAIN client; no password to be had is one line. */
    static SocketSecurity client(String option, String value) {
        return client(option, value, System::getenv, System.console());
    }

    /** As {@link #client(String, String)}, with the environment and terminal given (tests). */
    static SocketSecurity client(String option, String value, UnaryOperator<String> env, Console console) {
        if (value.indexOf(':') >= 0) {
            return SocketSecurity.plainClient(value);
        }
        if (value.isEmpty()) {
            throw new BadValueException("bad " + option + " '': expected USER or USER:PASSWORD");
        }
        String password = env.apply(ENV);
        if (password != null) {
            return SocketSecurity.plainClient(value, password);
        }
        if (console == null) {
            throw new BadValueException(option + " " + value + " gives no password: set " + ENV
                    + ", or run on a terminal to be asked for it");
        }
        char[] typed = console.readPassword("PLAIN password for %s (%s): ", value, option);
        if (typed == null) {
            throw new BadValueException(option + " " + value + ": no password typed");
        }
        try {
            return SocketSecurity.plainClient(value, new String(typed));
        } finally {
            Arrays.fill(typed, '\0');
        }
    }
}
