package io.zmqtap.sink;

import io.zmqtap.BadValueException;

/** ANSI colours, or nothing at all when output is not a terminal. */
public final class Ansi {
    public static final Ansi ON = new Ansi(true);
    public static final Ansi OFF = new Ansi(false);

    private static final String START = "\u001b[";
    private static final String END = "\u001b[0m";

    private final boolean enabled;

    private Ansi(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * Colour for {@code always}/{@code never}, or for {@code auto} when stdout is a terminal, TERM is
     * not dumb and NO_COLOR is not set; anything else is a one-line {@link BadValueException}.
     */
    public static Ansi forMode(String mode) {
        return switch (mode) {
            case "always" -> ON;
            case "never" -> OFF;
            case "auto" -> System.console() != null && !"dumb".equals(System.getenv("TERM"))
                    && System.getenv("NO_COLOR") == null ? ON : OFF;
            default -> throw new BadValueException("bad --color '" + mode + "': expected auto, always or never");
        };
    }

    public boolean enabled() {
        return enabled;
    }

    public String dim(String s) {
        return wrap("2", s);
    }

    public String green(String s) {
        return wrap("32", s);
    }

    public String cyan(String s) {
        return wrap("36", s);
    }

    public String yellow(String s) {
        return wrap("33", s);
    }

    public String red(String s) {
        return wrap("31", s);
    }

    public String bold(String s) {
        return wrap("1", s);
    }

    /**
     * Starts dim text in {@code b}, to be closed by {@link #end}: what {@link #dim(String)} does,
     * for a line built in place (nothing is appended when colour is off).
     */
    public StringBuilder dim(StringBuilder b) {
        return enabled ? b.append(START).append("2m") : b;
    }

    /** Ends what {@link #dim(StringBuilder)} started. */
    public StringBuilder end(StringBuilder b) {
        return enabled ? b.append(END) : b;
    }

    private String wrap(String code, String s) {
        return enabled ? START + code + "m" + s + END : s;
    }
}
