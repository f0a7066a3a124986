package io.zmqtap.capture;

import com.fasterxml.jackson.databind.JsonNode;
import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.EventJson;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads capture files ({@link CaptureFileFormat}) from bytes fed in any pieces: sections, their
 * events, their ends. No I/O: the caller feeds what it read and asks for the {@link #tail()} at
 * the end of what there is.
 *
 * <p>Damage (bad compressed data, a bad checksum, a section of an unknown version, a section its
 * writer never finished followed by the next) is reported with its byte offset, and reading
 * resumes at the next section; a line that is not an event is reported and skipped. What the
 * bytes end in (a finished section, a section still open at a line boundary, or the middle of a
 * line) is {@link #tail()}'s to say: only the caller knows whether a writer still holds the file.
 *
 * <pre>{@code
 * CaptureDecoder d = new CaptureDecoder(listener);
 * while ((n = in.read(buf)) > 0) d.feed(buf, 0, n);
 * CaptureDecoder.Tail t = d.tail();   // COMPLETE, OPEN or CUT
 * }</pre>
 */
public final class CaptureDecoder {
    /** What the decoder finds. */
    public interface Listener {
        /** A section begins at byte {@code offset}. */
        void section(CaptureHeader header, long offset);

        void event(CaptureEvent event);

        /** Something could not be read at about byte {@code offset}; one sentence. */
        void damage(String problem, long offset);
    }

    /** Where the bytes fed so far stop. */
    public enum Ending {
        /** After a finished section (or nothing at all). */
        COMPLETE,
        /** Inside a section that has no end yet, after a whole line: its writer is still at it, or died. */
        OPEN,
        /** In the middle of a line (or of a section's gzip header): a record is incomplete. */
        CUT
    }

    /**
     * @param ending how the bytes end
     * @param offset how many bytes were fed (where they end)
     * @param sectionOffset where the last section began, -1 when there is none
     * @param sectionEvents the events read from it
     */
    public record Tail(Ending ending, long offset, long sectionOffset, long sectionEvents) {}

    private enum State { HEADER, LINES, TRAILER, SCAN }

    private static final int MAX_LINE = 1 << 30;
    private static final byte[] NOTHING = new byte[0];

    private final Listener listener;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] chunk = new byte[64 * 1024];
    private final byte[] header = new byte[CaptureFileFormat.HEADER_BYTES];
    private final byte[] trailer = new byte[CaptureFileFormat.TRAILER_BYTES];
    private State state = State.HEADER;
    private int held; // bytes of header or trailer held
    private byte[] carry = NOTHING; // bytes that may begin a section, waiting for the next piece
    private byte[] line = new byte[8 * 1024];
    private int lineLength;
    private long lines; // of this section
    private long inflated; // bytes of lines in this section
    private boolean ended; // this section's end line was read
    private long position; // bytes fed before the current piece
    private long sectionOffset = -1;
    private long sectionEvents;
    private long events;
    private long damages;

    public CaptureDecoder(Listener listener) {
        this.listener = listener;
    }

    /** Events read in all sections. */
    public long events() {
        return events;
    }

    /** Problems reported. */
    public long damages() {
        return damages;
    }

    /** Reads {@code b[off .. off+len)}, the bytes that follow those fed before. */
    public void feed(byte[] b, int off, int len) {
        if (carry.length > 0) {
            byte[] joined = Arrays.copyOf(carry, carry.length + len);
            System.arraycopy(b, off, joined, carry.length, len);
            position -= carry.length;
            carry = NOTHING;
            feed(joined, 0, joined.length);
            return;
        }
        int end = off + len;
        int at = off;
        while (at < end) {
            long here = position + (at - off);
            switch (state) {
                case HEADER:
                    at = header(b, at, end, here);
                    break;
                case LINES:
                    at = lines(b, at, end, here);
                    break;
                case TRAILER:
                    at = trailer(b, at, end, here);
                    break;
                default:
                    at = scan(b, at, end, here);
                    break;
            }
        }
        position += len;
    }

    /** How the bytes fed so far end. */
    public Tail tail() {
        Ending e;
        if (carry.length > 0) {
            e = Ending.CUT; // the first bytes of what may be a section header
        } else if (state == State.LINES) {
            e = lineLength > 0 ? Ending.CUT : ended ? Ending.COMPLETE : Ending.OPEN;
        } else if (state == State.HEADER) {
            e = held > 0 ? Ending.CUT : Ending.COMPLETE;
        } else {
            e = Ending.COMPLETE; // a trailer after the end line, or skipping damage already reported
        }
        return new Tail(e, position, sectionOffset, sectionEvents);
    }

    private int header(byte[] b, int at, int end, long here) {
        int n = Math.min(end - at, header.length - held);
        System.arraycopy(b, at, header, held, n);
        held += n;
        if (held < header.length) {
            return at + n;
        }
        long start = here + n - header.length;
        if (!CaptureFileFormat.isSection(header, 0, header.length)) {
            damage(start == 0 ? "not a zmqtap capture file" : "no capture section where one should begin", start);
            slideForScan();
            return at + n;
        }
        begin(start);
        return at + n;
    }

    /** The header buffer holds a whole section header that began at {@code start}. */
    private void begin(long start) {
        int version = CaptureFileFormat.version(header, 0);
        if (version > CaptureFileFormat.VERSION) {
            damage("a section of capture format version " + version + " (this zmqtap reads version "
                    + CaptureFileFormat.VERSION + " and older): skipped", start);
            slideForScan();
            return;
        }
        held = 0;
        inflater.reset();
        crc.reset();
        lines = 0;
        inflated = 0;
        ended = false;
        lineLength = 0;
        sectionOffset = start;
        sectionEvents = 0;
        state = State.LINES;
    }

    /** Looks for the next section from the second byte of the header buffer on. */
    private void slideForScan() {
        System.arraycopy(header, 1, header, 0, header.length - 1);
        held = header.length - 1;
        state = State.SCAN;
    }

    private int lines(byte[] b, int at, int end, long here) {
        // A writer that died leaves its section open, and the next run appends a new one right
        // after: its header is looked for before the inflater sees the bytes. A sync flush ends in
        // ff, so a flushed section never ends in a prefix of a header: such bytes may wait.
        int next = nextSection(b, at, end);
        if (next == at && end - at >= CaptureFileFormat.HEADER_BYTES) {
            if (lineLength > 0 || !ended) {
                damage("the section at byte " + sectionOffset + " ends " + (lineLength > 0 ? "inside a line" : "without its "
                        + CaptureFileFormat.END + " line") + " where the next one begins (its writer stopped)", here);
            }
            state = State.HEADER;
            held = 0;
            return at;
        }
        if (next < end && end - next < CaptureFileFormat.HEADER_BYTES) {
            carry = Arrays.copyOfRange(b, next, end); // fed again with the next piece
        }
        int stop = Math.min(next, end);
        int done = inflate(b, at, stop, here);
        if (carry.length > 0 && done == stop && state == State.LINES) {
            return end;
        }
        carry = NOTHING;
        return done;
    }

    /** The first index from {@code at} where a section header begins, or may begin in the bytes there are; {@code end} if none. */
    private static int nextSection(byte[] b, int at, int end) {
        for (int i = at; i < end; i++) {
            if ((b[i] & 0xff) != 0x1f) {
                continue;
            }
            int n = Math.min(end - i, CaptureFileFormat.HEADER_BYTES);
            if (n == CaptureFileFormat.HEADER_BYTES ? CaptureFileFormat.isSection(b, i, end) : mayBeSection(b, i, n)) {
                return i;
            }
        }
        return end;
    }

    private static final byte[] PROBE = CaptureFileFormat.header(0);
    private static final int[] FIXED = {0, 1, 2, 3, 10, 11, 12, 13, 14, 15};

    private static boolean mayBeSection(byte[] b, int at, int n) {
        for (int i : FIXED) {
            if (i < n && b[at + i] != PROBE[i]) {
                return false;
            }
        }
        return true;
    }

    /** Inflates {@code b[at..end)}; returns where the next state begins (end, or the trailer's first byte). */
    private int inflate(byte[] b, int at, int end, long here) {
        if (at == end) {
            return end;
        }
        inflater.setInput(b, at, end - at);
        try {
            for (;;) {
                int n = inflater.inflate(chunk);
                if (n > 0) {
                    crc.update(chunk, 0, n);
                    inflated += n;
                    split(n, here);
                    if (state != State.LINES) {
                        carry = NOTHING;
                        return end; // a bad line ended the section
                    }
                } else if (inflater.finished() || inflater.needsInput()) {
                    break;
                } else if (inflater.needsDictionary()) {
                    throw new DataFormatException("a preset dictionary");
                }
            }
        } catch (DataFormatException | IllegalStateException e) {
            damage("bad compressed data in the section at byte " + sectionOffset + " after " + sectionEvents
                    + " events (" + e.getMessage() + ")", here);
            state = State.SCAN;
            held = 0;
            carry = NOTHING;
            return end - Math.max(0, inflater.getRemaining());
        }
        if (!inflater.finished()) {
            return end;
        }
        int rest = inflater.getRemaining();
        if (lineLength > 0) {
            damage("the section at byte " + sectionOffset + " ends inside a line", here);
        } else if (!ended) {
            damage("the section at byte " + sectionOffset + " ends without its " + CaptureFileFormat.END + " line", here);
        }
        state = State.TRAILER;
        held = 0;
        carry = NOTHING;
        return end - rest;
    }

    /** Cuts the inflated bytes into lines. */
    private void split(int n, long here) {
        int from = 0;
        for (int i = 0; i < n; i++) {
            if (chunk[i] == '\n') {
                append(from, i);
                from = i + 1;
                boolean ok = line(here);
                lineLength = 0;
                if (!ok) {
                    return;
                }
            }
        }
        append(from, n);
    }

    private void append(int from, int to) {
        int n = to - from;
        if (n == 0) {
            return;
        }
        if (lineLength + n > line.length) {
            if (lineLength + n > MAX_LINE) {
                throw new IllegalStateException("a line longer than " + MAX_LINE + " bytes");
            }
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + n));
        }
        System.arraycopy(chunk, from, line, lineLength, n);
        lineLength += n;
    }

    /** One whole line; false when the section cannot go on. */
    private boolean line(long here) {
        lines++;
        JsonNode o;
        try {
            o = EventJson.mapper().readTree(line, 0, lineLength);
        } catch (IOException e) {
            o = null;
        }
        String type = o == null ? null : o.path("type").asText(null);
        if (lines == 1) {
            if (!CaptureFileFormat.START.equals(type)) {
                damage("the section at byte " + sectionOffset + " does not begin with its "
                        + CaptureFileFormat.START + " line", here);
                state = State.SCAN;
                held = 0;
                return false;
            }
            listener.section(CaptureHeader.fromJson(o), sectionOffset);
            return true;
        }
        if (o == null) {
            damage("line " + lines + " of the section at byte " + sectionOffset + " is not JSON: skipped", here);
            return true;
        }
        if (CaptureFileFormat.END.equals(type)) {
            ended = true;
            return true;
        }
        CaptureEvent event;
        try {
            event = RecordJson.read(o);
        } catch (RuntimeException e) {
            damage("line " + lines + " of the section at byte " + sectionOffset + " is not an event (" + e.getMessage()
                    + "): skipped", here);
            return true;
        }
        events++;
        sectionEvents++;
        listener.event(event);
        return true;
    }

    private int trailer(byte[] b, int at, int end, long here) {
        int n = Math.min(end - at, trailer.length - held);
        System.arraycopy(b, at, trailer, held, n);
        held += n;
        if (held == trailer.length) {
            held = 0;
            state = State.HEADER;
            if (CaptureFileFormat.le32(trailer, 0) != (int) crc.getValue()
                    || CaptureFileFormat.le32(trailer, 4) != (int) inflated) {
                damage("the section at byte " + sectionOffset + " fails its checksum", here);
            }
        }
        return at + n;
    }

    /** Looks for the next section after damage: the header buffer keeps the last bytes seen, across pieces. */
    private int scan(byte[] b, int at, int end, long here) {
        for (int i = at; i < end; i++) {
            if (held == header.length) {
                System.arraycopy(header, 1, header, 0, header.length - 1);
                held--;
            }
            header[held++] = b[i];
            if (held == header.length && CaptureFileFormat.isSection(header, 0, held)) {
                begin(here + (i - at) + 1 - header.length);
                return i + 1;
            }
        }
        return end;
    }

    private void damage(String problem, long offset) {
        damages++;
        listener.damage(problem, offset);
    }
}
