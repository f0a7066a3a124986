package io.zmqtap.cli;

import io.zmqtap.BadValueException;
import io.zmqtap.Sizes;
import io.zmqtap.pipeline.Pipeline;
import io.zmqtap.sink.CaptureFileSink;
import io.zmqtap.sink.RedactingSink;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * {@code --write FILE}, {@code --rotate SIZE|TIME} and {@code --redact}, on every command that shows events (through
 * {@link OutputOptions}): record the events to a capture file ({@code docs/capture-format.md}).
 * On {@code sniff} a FILE ending in {@code .pcap} or {@code .pcap.gz} gets the raw packets instead.
 *
 * <p>Usage: {@code output.recording.addTo(Pipeline.builder(source), "tap", err)}
 */
final class WriteOptions {
    private static final Pattern SIZE = Pattern.compile("\\d+\\s*(b|k|kb|kib|mb|mib|g|gb|gib)");

    @Option(names = "--write", paramLabel = "FILE",
            description = "Also record every event to this capture file (e.g. capture.zcap; appended to when it exists), "
                    + "for zmqtap read. On sniff a FILE ending in .pcap or .pcap.gz gets the raw packets instead.")
    Path write;

    @Option(names = "--rotate", paramLabel = "SIZE|TIME",
            description = "With --write: start a new file at this size (100MB) or age (1h); the files are numbered "
                    + "FILE-00001, FILE-00002, ... before the extension.")
    String rotate;

    @Option(names = "--write-flush", paramLabel = "TIME", defaultValue = "0",
            description = "With --write: how long recorded events may wait in memory before they reach the file. "
                    + "0 (the default): every event is written out as it comes, so a crash of zmqtap loses at most "
                    + "the event being written; e.g. 200ms for less work on a busy source, a crash then losing up to "
                    + "that much.")
    String flush = "0";

    // read by OutputOptions too: it masks every output, this class the recording
    @Option(names = "--redact",
            description = "Mask every payload in every output and in the recording: sizes, frame structure, "
                    + "identities and routing ids stay; frames and subscription topics show as (redacted 12 B). "
                    + "PLAIN passwords are always masked, with or without it. Not with sniff's raw .pcap --write.")
    boolean redact;

    /** True when FILE names a pcap file: sniff's raw packets. */
    boolean packets() {
        if (write == null) {
            return false;
        }
        String name = write.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".pcap") || name.endsWith(".pcap.gz");
    }

    /** The pcap file sniff writes packets to, or null. */
    Path packetFile() {
        return packets() ? write : null;
    }

    /**
     * Adds the recording to {@code b} when {@code --write} asks for one (not for sniff's pcap); checks
     * the options first (one-line usage errors) and opens the file.
     *
     * @param command the command recording, for the file's header
     * @param packetsAllowed true on sniff, which writes packets to a .pcap FILE
     */
    Pipeline.Builder addTo(Pipeline.Builder b, String command, boolean packetsAllowed, PrintWriter err) {
        CaptureFileSink sink = sink(command, packetsAllowed, err);
        return sink == null ? b : b.sink(redact ? new RedactingSink(sink) : sink);
    }

    /** The recording sink, or null without {@code --write} (or with sniff's pcap). */
    CaptureFileSink sink(String command, boolean packetsAllowed, PrintWriter err) {
        check(command, packetsAllowed);
        if (write == null || packets()) {
            return null;
        }
        CaptureFileSink.Builder b = CaptureFileSink.to(write).writer("zmqtap " + ZmqTap.Version.version(), command)
                .warnings(line -> {
                    err.println("zmqtap: " + line);
                    err.flush();
                });
        b.flushEvery(Durations.parse("--write-flush", flush));
        if (rotate != null) {
            if (rotateBytes() > 0) {
                b.rotateBytes(rotateBytes());
            } else {
                b.rotateEvery(rotateEvery());
            }
        }
        return b.open();
    }

    /**
     * Checks the options without opening anything (one-line usage errors), for a command that opens
     * the file later.
     */
    void check(String command, boolean packetsAllowed) {
        if (write == null) {
            if (rotate != null) {
                throw new BadValueException("--rotate needs --write FILE");
            }
            return;
        }
        if (packets()) {
            if (redact && packetsAllowed) {
                throw new BadValueException("--redact cannot mask the raw packets of --write " + write
                        + ": record events instead, e.g. --write capture.zcap");
            }
            if (!packetsAllowed) {
                throw new BadValueException("--write " + write + ": only sniff writes packets (pcap); " + command
                        + " records events: use a name such as capture.zcap");
            }
            if (rotate != null) {
                throw new BadValueException("--rotate applies to capture files, not to sniff's pcap");
            }
            return;
        }
        if (rotate != null && rotateBytes() == 0) {
            rotateEvery();
        }
        Durations.parse("--write-flush", flush);
    }

    /** {@code --rotate} as a size, 0 when it is a time. */
    private long rotateBytes() {
        return SIZE.matcher(rotate.strip().toLowerCase(Locale.ROOT)).matches() ? Sizes.parse("--rotate", rotate) : 0;
    }

    private Duration rotateEvery() {
        Duration every = Durations.parse("--rotate", rotate);
        if (every.isZero()) {
            throw new BadValueException("bad --rotate '" + rotate + "': expected a size (100MB) or a time (1h)");
        }
        return every;
    }
}
