package io.zmqtap.sink;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A terminal's size that follows the window: {@link #get()} gives the size last detected and
 * detects it again after {@link #resized()}, which the terminal's {@code SIGWINCH} calls once
 * {@link #onWindowChange() installed}. Detection ({@code stty}, a child process) runs on the
 * thread that draws, never on the signal's.
 *
 * <p>Usage: {@code Supplier<TerminalSize> size = new TerminalResize(() -> TerminalSize.detect(env, TerminalSize::stty)).onWindowChange();}
 */
public final class TerminalResize implements Supplier<TerminalSize> {
    private final Supplier<TerminalSize> detect;
    private volatile boolean stale = true;
    private TerminalSize size;

    /** @param detect finds the size now, e.g. with {@link TerminalSize#detect} */
    public TerminalResize(Supplier<TerminalSize> detect) {
        this.detect = Objects.requireNonNull(detect);
    }

    /** The window changed size: the next {@link #get()} asks again. Any thread. */
    public void resized() {
        stale = true;
    }

    @Override
    public synchronized TerminalSize get() {
        if (stale) {
            stale = false; // before asking: a change during the question is asked about next time
            size = detect.get();
        }
        return size;
    }

    /**
     * Calls {@link #resized()} on each {@code SIGWINCH}, where the JVM lets us handle it (through
     * {@code sun.misc.Signal}, which HotSpot has on Linux and macOS); elsewhere the size stays as
     * first detected.
     */
    public TerminalResize onWindowChange() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), signal -> resized());
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            // no such signal here, or the JVM keeps it: the first size it is
        }
        return this;
    }
}
