package io.zmqtap.sink;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.Redaction;
import io.zmqtap.event.Sink;

/**
 * A sink that hands on every event {@link Redaction redacted}: {@code --redact} in front of the
 * console, JSON lines, {@code --top} and the recording alike, so no output shows a payload.
 *
 * <p>Usage: {@code Sink out = new RedactingSink(new JsonSink(writer));}
 */
public final class RedactingSink implements Sink {
    private final Sink next;

    public RedactingSink(Sink next) {
        this.next = next;
    }

    @Override
    public void accept(CaptureEvent event) {
        next.accept(Redaction.redact(event));
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
