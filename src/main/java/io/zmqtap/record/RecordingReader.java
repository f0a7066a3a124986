package io.zmqtap.record;

import io.zmqtap.capture.CaptureDecoder;
import io.zmqtap.capture.CaptureFileFormat;
import io.zmqtap.capture.CaptureHeader;
import io.zmqtap.event.CaptureEvent;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads a zmqtap capture file ({@code docs/capture-format.md}) into events, and says how it ended.
 *
 * <p>A file whose writer still holds it (it locks the file while writing) ends live: everything
 * flushed so far is read and the end is not a problem. A file that ends without its end line and
 * that nobody holds was left by a writer that stopped without closing it (a crash, a full disk) or
 * was cut: that is reported, with the byte where the file ends.
 *
 * <pre>{@code
 * RecordingReader.Result r = RecordingReader.read(in, Path.of("capture.zcap"), pipeline::accept);
 * r.problems().forEach(err::println);
 * }</pre>
 */
public final class RecordingReader {
    /**
     * How a read went.
     *
     * @param events events read
     * @param sections sections begun
     * @param live the file ends in a section its writer is still writing
     * @param problems one sentence each, with its byte offset: damage, a cut, a missing end
     */
    public record Result(long events, long sections, boolean live, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private RecordingReader() {}

    /** True when the first bytes of a file (at least {@value CaptureFileFormat#HEADER_BYTES}) are a capture file's. */
    public static boolean isRecording(byte[] first, int len) {
        return CaptureFileFormat.isCapture(first, len);
    }

    /**
     * True when {@code in} starts as a capture file; reads nothing away (mark and reset), so the
     * same stream can then be read as whatever it is.
     */
    public static boolean isRecording(BufferedInputStream in) throws IOException {
        byte[] first = new byte[CaptureFileFormat.HEADER_BYTES];
        in.mark(first.length);
        int n = in.readNBytes(first, 0, first.length);
        in.reset();
        return isRecording(first, n);
    }

    /**
     * Reads {@code in} (the contents of {@code file}, which is only named and checked for a writer)
     * to its end, giving every event to {@code events}.
     */
    public static Result read(InputStream in, Path file, Consumer<CaptureEvent> events) throws IOException {
        List<String> problems = new ArrayList<>();
        long[] sections = {0};
        CaptureDecoder decoder = new CaptureDecoder(new CaptureDecoder.Listener() {
            @Override
            public void section(CaptureHeader header, long offset) {
                sections[0]++;
            }

            @Override
            public void event(CaptureEvent event) {
                events.accept(event);
            }

            @Override
            public void damage(String problem, long offset) {
                problems.add(problem + " (byte " + offset + ")");
            }
        });
        byte[] buffer = new byte[1 << 20];
        for (int n; (n = in.read(buffer)) > 0; ) {
            decoder.feed(buffer, 0, n);
        }
        CaptureDecoder.Tail tail = decoder.tail();
        boolean live = false;
        if (tail.ending() != CaptureDecoder.Ending.COMPLETE) {
            live = isBeingWritten(file);
            if (!live) {
                problems.add(ending(tail));
            }
        }
        return new Result(decoder.events(), sections[0], live, List.copyOf(problems));
    }

    private static String ending(CaptureDecoder.Tail tail) {
        if (tail.ending() == CaptureDecoder.Ending.CUT) {
            return "cut at byte " + tail.offset() + " in the middle of a record, after " + tail.sectionEvents()
                    + " events of the section at byte " + Math.max(0, tail.sectionOffset())
                    + ": its writer stopped before finishing it, or the file was truncated";
        }
        return "ends at byte " + tail.offset() + " without its " + CaptureFileFormat.END + " line, after "
                + tail.sectionEvents() + " events of the section at byte " + tail.sectionOffset()
                + ": its writer stopped without closing it (what it had not flushed is lost)";
    }

    /**
     * True when a writer holds {@code file}: zmqtap's writer locks it while writing, so a lock
     * we cannot share means a live end, not damage. False when it cannot be told (no file).
     */
    public static boolean isBeingWritten(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            return false;
        }
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
            FileLock shared = c.tryLock(0, Long.MAX_VALUE, true);
            if (shared == null) {
                return true;
            }
            shared.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // this JVM writes it
        } catch (IOException e) {
            return false;
        }
    }
}
