package io.zmqtap.sink;

import io.zmqtap.BadValueException;
import io.zmqtap.ZmqTapException;
import io.zmqtap.capture.CaptureEncoder;
import io.zmqtap.capture.CaptureFileFormat;
import io.zmqtap.capture.CaptureHeader;
import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.Sink;
import io.zmqtap.event.StatisticsEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Records events to a capture file ({@code docs/capture-format.md}): gzip-compressed JSON lines,
 * one section per run, readable with {@code zmqtap read} (or {@code zcat | jq}) even while written.
 *
 * <pre>{@code
 * Sink rec = CaptureFileSink.to(Path.of("capture.zcap")).command("tap").rotateBytes(100 << 20).open();
 * pipeline = Pipeline.builder(source).sink(console).sink(rec).start();
 * }</pre>
 *
 * <p>Never in the source's way: it runs on the pipeline's thread and compresses into memory. By
 * default every event is sync-flushed and written out as it comes, so a crash (kill -9) loses at
 * most the event being written. With {@code flushEvery} (e.g. 200 ms) it writes when 64 KiB are
 * ready or that long has passed since the last flush, and a timer thread flushes an idle tail: less
 * work on a busy source, and a crash then loses up to {@code flushEvery} of events, never what was
 * flushed before. A write error (a full
 * disk) stops the recording with one warning line; it never throws into the pipeline.
 *
 * <p>An existing capture file is appended to (a new section); the file is locked while written,
 * which tells a reader a live end from a writer that died. Statistics events are not recorded:
 * {@code read} sums the recorded events up again.
 *
 * <p>With rotation every file is a part named by {@link CaptureFileNames} and is a complete
 * capture file of its own; a new part starts when the current one reaches {@code rotateBytes} (at
 * most about 64 KiB more) or has been open {@code rotateEvery}.
 */
public final class CaptureFileSink implements Sink {
    private static final int WRITE_AT = 64 * 1024;

    private final Builder settings;
    private final ScheduledExecutorService timer;
    private Path path;
    private long part; // 0: no rotation
    private FileChannel channel;
    private FileLock lock;
    private CaptureEncoder encoder;
    private long fileBytes;
    private long openedNanos;
    private long flushedNanos;
    private boolean dirty;
    private boolean failed;
    private boolean closed;
    private long recorded;
    private long unrecorded;
    private long writeErrors;

    private CaptureFileSink(Builder b) throws IOException {
        this.settings = b;
        if (b.rotating()) {
            part = Math.max(1, CaptureFileNames.lastPart(b.file));
        }
        openFile(part > 0 ? CaptureFileNames.part(b.file, part) : b.file);
        if (b.rotateBytes > 0 && fileBytes >= b.rotateBytes) {
            rotate();
        }
        if (b.flushTimer && !b.flushEvery.isZero()) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "zmqtap-capture-flush");
                t.setDaemon(true);
                return t;
            });
            long ms = Math.max(1, b.flushEvery.toMillis());
            timer.scheduleWithFixedDelay(this::tick, ms, ms, TimeUnit.MILLISECONDS);
        } else {
            timer = null;
        }
    }

    /** Settings for recording to {@code file}. */
    public static Builder to(Path file) {
        return new Builder(file);
    }

    @Override
    public synchronized void accept(CaptureEvent event) {
        if (event instanceof StatisticsEvent) {
            return;
        }
        if (failed || closed) {
            unrecorded++;
            return;
        }
        try {
            encoder.event(event);
            recorded++;
            dirty = true;
            long now = settings.nanos.getAsLong();
            if (now - flushedNanos >= settings.flushEvery.toNanos()) {
                flush(now);
            } else if (encoder.outputLength() >= WRITE_AT) {
                writeOut();
            }
            if (dueForRotation(now)) {
                rotate();
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /** Flushes an idle tail and rotates an idle file when due; what the timer thread does. */
    public synchronized void tick() {
        if (failed || closed) {
            return;
        }
        try {
            long now = settings.nanos.getAsLong();
            if (dirty && now - flushedNanos >= settings.flushEvery.toNanos()) {
                flush(now);
            }
            if (dueForRotation(now)) {
                rotate();
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /** The file being written now. */
    public synchronized Path file() {
        return path;
    }

    /** Events recorded. */
    public synchronized long recorded() {
        return recorded;
    }

    /** Events not recorded because writing had failed. */
    public synchronized long unrecorded() {
        return unrecorded;
    }

    /** Writes that failed (the first one stops the recording). */
    public synchronized long writeErrors() {
        return writeErrors;
    }

    /** Ends the section (its end line and gzip trailer), syncs the file to disk and unlocks it. */
    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (!failed) {
                try {
                    finishFile();
                } catch (IOException | RuntimeException e) {
                    fail(e);
                }
            }
        }
    }

    private boolean dueForRotation(long now) {
        return settings.rotateBytes > 0 && fileBytes + encoder.outputLength() >= settings.rotateBytes
                || !settings.rotateEvery.isZero() && now - openedNanos >= settings.rotateEvery.toNanos();
    }

    private void rotate() throws IOException {
        finishFile();
        part++;
        openFile(CaptureFileNames.part(settings.file, part));
    }

    private void openFile(Path p) throws IOException {
        long existing = Files.exists(p) ? Files.size(p) : 0;
        if (existing > 0) {
            checkAppendable(p);
        }
        FileChannel c;
        try {
            c = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (NoSuchFileException e) {
            throw new BadValueException("cannot write " + p + ": no such directory");
        } catch (IOException e) {
            throw new BadValueException("cannot write " + p + ": " + reason(e));
        }
        FileLock l;
        try {
            l = c.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            c.close();
            throw new ZmqTapException("cannot write " + p + ": another zmqtap is writing it");
        }
        channel = c;
        lock = l;
        path = p;
        fileBytes = existing;
        openedNanos = settings.nanos.getAsLong();
        encoder = new CaptureEncoder(CaptureHeader.of(settings.writer, settings.command, settings.wallClock.get()));
        flush(openedNanos); // the section begins on disk at once: a reader sees a valid file from now on
    }

    private static void checkAppendable(Path p) throws IOException {
        byte[] first = new byte[CaptureFileFormat.HEADER_BYTES];
        int n;
        try (InputStream in = Files.newInputStream(p)) {
            n = in.readNBytes(first, 0, first.length);
        }
        if (!CaptureFileFormat.isCapture(first, n)) {
            throw new BadValueException("will not write to " + p + ": it exists and is not a zmqtap capture file");
        }
    }

    private void finishFile() throws IOException {
        encoder.finish(settings.wallClock.get());
        writeOut();
        channel.force(true); // a finished file survives a power cut, not just a crash
        lock.release();
        channel.close();
    }

    private void flush(long now) throws IOException {
        encoder.flush();
        writeOut();
        flushedNanos = now;
        dirty = false;
    }

    private void writeOut() throws IOException {
        ByteBuffer b = ByteBuffer.wrap(encoder.output(), 0, encoder.outputLength());
        while (b.hasRemaining()) {
            channel.write(b);
        }
        fileBytes += encoder.outputLength();
        encoder.clearOutput();
    }

    private void fail(Exception e) {
        writeErrors++;
        if (failed) {
            return;
        }
        failed = true;
        encoder.abandon();
        try {
            channel.close(); // releases the lock: the file now reads as a writer that stopped
        } catch (IOException ignored) {
            // already failing
        }
        settings.warnings.accept("cannot write " + path + ": " + reason(e) + "; recording stopped after "
                + recorded + " events");
    }

    private static String reason(Exception e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /** Settings for a {@link CaptureFileSink}. */
    public static final class Builder {
        private final Path file;
        private long rotateBytes;
        private Duration rotateEvery = Duration.ZERO;
        private Duration flushEvery = Duration.ZERO;
        private boolean flushTimer = true;
        private String writer = "zmqtap";
        private String command = "";
        private Consumer<String> warnings = w -> {};
        private LongSupplier nanos = System::nanoTime;
        private Supplier<Instant> wallClock = Instant::now;

        private Builder(Path file) {
            this.file = Objects.requireNonNull(file);
        }

        /** A new file (part) once this many bytes are written; 0 (the default): never. */
        public Builder rotateBytes(long bytes) {
            this.rotateBytes = bytes;
            return this;
        }

        /** A new file (part) once the current one has been open this long; zero (the default): never. */
        public Builder rotateEvery(Duration every) {
            this.rotateEvery = Objects.requireNonNull(every);
            return this;
        }

        /** The longest events wait in memory before they reach the file (default 200 ms). */
        public Builder flushEvery(Duration every) {
            this.flushEvery = Objects.requireNonNull(every);
            return this;
        }

        /** Whether a timer thread flushes an idle tail (the default); tests call {@link #tick()} instead. */
        public Builder flushTimer(boolean on) {
            this.flushTimer = on;
            return this;
        }

        /** What wrote the file, e.g. {@code zmqtap 1.0.0}, and with which command, e.g. {@code tap}. */
        public Builder writer(String writer, String command) {
            this.writer = Objects.requireNonNull(writer);
            this.command = Objects.requireNonNull(command);
            return this;
        }

        /** Where the one warning of a failed write goes, e.g. stderr. */
        public Builder warnings(Consumer<String> warnings) {
            this.warnings = Objects.requireNonNull(warnings);
            return this;
        }

        /** The clocks: nanoseconds for flushing and rotation, the wall clock for section stamps (tests move fake ones). */
        public Builder clock(LongSupplier nanos, Supplier<Instant> wallClock) {
            this.nanos = Objects.requireNonNull(nanos);
            this.wallClock = Objects.requireNonNull(wallClock);
            return this;
        }

        boolean rotating() {
            return rotateBytes > 0 || !rotateEvery.isZero();
        }

        /**
         * Opens (or appends to) the file, writes the section's beginning and locks it.
         *
         * @throws BadValueException when the file cannot be created, or exists and is not a capture file
         * @throws ZmqTapException when another zmqtap writes it
         */
        public CaptureFileSink open() {
            try {
                return new CaptureFileSink(this);
            } catch (IOException e) {
                throw new BadValueException("cannot write " + file + ": " + reason(e));
            }
        }
    }
}
