package io.zmqtap.event;


/**
 * Where capture events go: the console, JSON lines, later files, metrics, a web view, Kafka.
 *
 * <p>Sources call {@link #accept} from one thread at a time. A sink must be quick: sources do not
 * wait for slow sinks on the proxied path.
 *
 * <p>Usage: {@code try (Sink sink = new JsonSink(out)) { sink.accept(event); }}
 */
public interface Sink extends AutoCloseable {
    void accept(CaptureEvent event);

    /**
     * Writes out what the sink buffers, e.g. lines not yet on the terminal. A pipeline calls it
     * whenever it has nothing more to deliver; the default does nothing.
     */
    default void flush() {}

    /** Flushes and releases what the sink holds; the default does nothing. */
    @Override
    default void close() {}
}
