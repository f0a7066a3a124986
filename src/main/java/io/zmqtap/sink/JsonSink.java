package io.zmqtap.sink;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.EventJson;
import io.zmqtap.event.Frame;
import io.zmqtap.event.Sink;
import java.io.CharArrayWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes one JSON object per line in zmqtap's event schema ({@link EventJson}, {@code docs/json.md}).
 *
 * <p>Each line is generated into a buffer the sink reuses and then written whole, so lines never
 * interleave with what others print on the same writer. Made with {@code flushEach} false, it
 * leaves flushing to {@link #flush()} (see {@link ConsoleSink}).
 *
 * <p>Usage: {@code try (Sink sink = new JsonSink(new PrintWriter(System.out))) { sink.accept(event); }}
 */
public final class JsonSink implements Sink {
    private final PrintWriter out;
    private final boolean flushEach;
    private final LineBuffer line = new LineBuffer();
    private JsonGenerator generator;

    /** A sink that flushes after every line. */
    public JsonSink(PrintWriter out) {
        this(out, true);
    }

    /** @param flushEach flush after every line; false leaves it to {@link #flush()} (a pipeline's sinks) */
    public JsonSink(PrintWriter out, boolean flushEach) {
        this.out = out;
        this.flushEach = flushEach;
        this.generator = newGenerator();
    }

    @Override
    public void accept(CaptureEvent event) {
        line.reset();
        try {
            EventJson.write(event, generator);
            generator.flush();
        } catch (IOException | RuntimeException e) {
            generator = newGenerator(); // the old one is stuck inside the object it was writing
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
        line.append(System.lineSeparator());
        line.writeTo(out);
        if (flushEach) {
            out.flush();
        }
    }

    /** A line being built, written out in one call so that it is never split by another writer's. */
    private static final class LineBuffer extends CharArrayWriter {
        LineBuffer() {
            super(512);
        }

        void writeTo(PrintWriter to) {
            to.write(buf, 0, count);
        }
    }

    private JsonGenerator newGenerator() {
        try {
            JsonGenerator g = EventJson.mapper().getFactory().createGenerator(line);
            g.setRootValueSeparator(null); // one generator, many lines: no space before each next object
            return g;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing into memory
        }
    }

    @Override
    public void flush() {
        out.flush();
    }

    /** The JSON object for one event, as written on its line. */
    public static ObjectNode toJson(CaptureEvent event) {
        return EventJson.toJson(event);
    }

    /** {@code {"text":"3"}} or {@code {"hex":"006b8b4567"}}. */
    public static ObjectNode frame(Frame f) {
        return EventJson.frame(f);
    }

    public static ArrayNode frames(List<Frame> frames) {
        return EventJson.frames(frames);
    }

    /** The shared mapper, for other JSON writers in zmqtap. */
    public static ObjectMapper mapper() {
        return EventJson.mapper();
    }

    @Override
    public void close() {
        out.flush();
    }
}
