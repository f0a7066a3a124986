package io.zmqtap.sink;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.NoticeEvent;
import io.zmqtap.event.ProtocolErrorEvent;
import io.zmqtap.event.Sink;
import io.zmqtap.event.StatisticsEvent;

/**
 * Passes on only what a summary reader needs: statistics, notices and protocol errors; no
 * message, command, handshake or connection lines. What {@code --quiet} prints, as tshark's
 * {@code -q}: a capture file of millions of messages is summed up without printing each one (the
 * statistics still count every one).
 *
 * <p>Usage: {@code Sink sink = new QuietSink(new ConsoleSink(out));}
 */
public final class QuietSink implements Sink {
    private final Sink next;

    public QuietSink(Sink next) {
        this.next = next;
    }

    @Override
    public void accept(CaptureEvent event) {
        if (passes(event)) {
            next.accept(event);
        }
    }

    /** True for what a summary shows: statistics, notices and protocol errors. */
    public static boolean passes(CaptureEvent event) {
        return event instanceof StatisticsEvent || event instanceof NoticeEvent || event instanceof ProtocolErrorEvent;
    }

    @Override
    public void flush() {
        next.flush();
    }

    @Override
    public void close() {
        next.close();
    }
}
