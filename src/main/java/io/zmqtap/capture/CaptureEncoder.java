package io.zmqtap.capture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.EventJson;
import java.time.Instant;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes one section of a capture file ({@link CaptureFileFormat}) into memory: the caller moves
 * {@link #output()} to the file. No I/O, one thread.
 *
 * <p>What reaches the file after a {@link #flush()} decodes completely: the deflate stream is
 * sync-flushed, so a reader (or {@code zcat}) gets every line up to there even though the section
 * is not finished.
 *
 * <pre>{@code
 * CaptureEncoder enc = new CaptureEncoder(CaptureHeader.of("zmqtap 1.0.0", "tap", Instant.now()));
 * enc.event(e);
 * enc.flush();                       // or enc.finish(Instant.now()) at the end
 * out.write(enc.output(), 0, enc.outputLength());
 * enc.clearOutput();
 * }</pre>
 */
public final class CaptureEncoder {
    private static final byte[] NEWLINE = {'\n'};

    private final Deflater deflater = new Deflater(Deflater.BEST_SPEED, true); // cheap: the writer must keep up
    private final CRC32 crc = new CRC32();
    private final byte[] chunk = new byte[64 * 1024];
    private byte[] out = new byte[128 * 1024];
    private int outLength;
    private long events;
    private long lineBytes;
    private boolean finished;

    /** Starts a section: its gzip header and its header line go to the output. */
    public CaptureEncoder(CaptureHeader header) {
        append(CaptureFileFormat.header(header.started().getEpochSecond()));
        line(bytes(header.toJson()));
    }

    /** Adds one event's line (compressed into the output as the deflater sees fit: see {@link #flush}). */
    public void event(CaptureEvent event) {
        line(RecordJson.write(event));
        events++;
    }

    /** Makes everything added so far decodable from the output (a deflate sync flush, 5 bytes or more). */
    public void flush() {
        check();
        deflate(Deflater.SYNC_FLUSH);
    }

    /** Ends the section: the end line, the last deflate block and the gzip trailer. Nothing may be added after. */
    public void finish(Instant at) {
        check();
        ObjectNode end = EventJson.mapper().createObjectNode();
        end.put("v", EventJson.SCHEMA);
        end.put("type", CaptureFileFormat.END);
        end.put("ts", EventJson.timestamp(at));
        end.put("events", events);
        line(bytes(end));
        deflater.finish();
        while (!deflater.finished()) {
            drain(deflater.deflate(chunk, 0, chunk.length, Deflater.NO_FLUSH));
        }
        byte[] trailer = new byte[CaptureFileFormat.TRAILER_BYTES];
        CaptureFileFormat.putLe32(trailer, 0, (int) crc.getValue());
        CaptureFileFormat.putLe32(trailer, 4, (int) lineBytes); // ISIZE: the size modulo 2^32
        append(trailer);
        deflater.end();
        finished = true;
    }

    /** Events added. */
    public long events() {
        return events;
    }

    /** The bytes ready for the file: {@code output()[0 .. outputLength())}. */
    public byte[] output() {
        return out;
    }

    public int outputLength() {
        return outLength;
    }

    /** Forgets the output once it is written. */
    public void clearOutput() {
        outLength = 0;
    }

    /** Frees the deflater without finishing (the section stays open in the file, as after a crash). */
    public void abandon() {
        if (!finished) {
            deflater.end();
            finished = true;
        }
    }

    private void line(byte[] json) {
        check();
        crc.update(json);
        crc.update('\n');
        lineBytes += json.length + 1;
        deflater.setInput(json);
        deflate(Deflater.NO_FLUSH);
        deflater.setInput(NEWLINE);
        deflate(Deflater.NO_FLUSH);
    }

    /** Runs the deflater until it needs input (and, for a sync flush, until the flush is out). */
    private void deflate(int flush) {
        for (;;) {
            int n = deflater.deflate(chunk, 0, chunk.length, flush);
            drain(n);
            if (n < chunk.length && deflater.needsInput()) {
                return;
            }
        }
    }

    private void drain(int n) {
        if (n > 0) {
            ensure(n);
            System.arraycopy(chunk, 0, out, outLength, n);
            outLength += n;
        }
    }

    private void append(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, out, outLength, b.length);
        outLength += b.length;
    }

    private void ensure(int more) {
        if (outLength + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, outLength + more));
        }
    }

    private void check() {
        if (finished) {
            throw new IllegalStateException("section already finished");
        }
    }

    private static byte[] bytes(ObjectNode o) {
        try {
            return EventJson.mapper().writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
