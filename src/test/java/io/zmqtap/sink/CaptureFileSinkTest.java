package io.zmqtap.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.zmqtap.BadValueException;
import io.zmqtap.ZmqTapException;
import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.StatisticsEvent;
import io.zmqtap.record.RecordingReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureFileSinkTest {
    static final Instant T = Instant.parse("2026-11-30T10:15:02.481234567Z");

    @TempDir
    Path dir;

    static MessageEvent message(long seq) {
        return new MessageEvent(T.plusMillis(seq), "tap", "c1", seq, seq % 2 == 1 ? Direction.IN : Direction.OUT,
                Frame.of("client_a"), List.of(Frame.of("hop"), Frame.EMPTY, Frame.of("payload " + seq)), false);
    }

    static RecordingReader.Result read(Path file, List<CaptureEvent> into) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return RecordingReader.read(in, file, into::add);
        }
    }

    @Test
    void whatIsWrittenReadsBackAndAnExistingFileGetsASecondSection() throws IOException {
        Path file = dir.resolve("capture.zcap");
        try (CaptureFileSink sink = CaptureFileSink.to(file).writer("zmqtap test", "tap").open()) {
            sink.accept(message(1));
            sink.accept(message(2));
            sink.accept(new StatisticsEvent(T, "tap", null, true, Duration.ZERO, Map.of(), List.of(), List.of()));
            assertThat(sink.recorded()).as("statistics are not recorded").isEqualTo(2);
        }
        try (CaptureFileSink sink = CaptureFileSink.to(file).open()) {
            sink.accept(message(3));
        }
        List<CaptureEvent> back = new ArrayList<>();
        RecordingReader.Result r = read(file, back);
        assertThat(r.problems()).isEmpty();
        assertThat(r.sections()).isEqualTo(2);
        assertThat(r.live()).isFalse();
        assertThat(back).containsExactly(message(1), message(2), message(3));
    }

    @Test
    void aFileThatIsNotACaptureIsNotAppendedTo() throws IOException {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "keep me");
        assertThatThrownBy(() -> CaptureFileSink.to(notes).open()).isInstanceOf(BadValueException.class)
                .hasMessage("will not write to " + notes + ": it exists and is not a zmqtap capture file");
        assertThat(Files.readString(notes)).isEqualTo("keep me");
    }

    @Test
    void aFileAnotherWriterHoldsIsRefused() {
        Path file = dir.resolve("busy.zcap");
        try (CaptureFileSink first = CaptureFileSink.to(file).open()) {
            assertThatThrownBy(() -> CaptureFileSink.to(file).open()).isInstanceOf(ZmqTapException.class)
                    .hasMessage("cannot write " + file + ": another zmqtap is writing it");
        }
    }

    @Test
    void aFileReadWhileWrittenShowsEveryFlushedRecordAndEndsLiveWithoutAProblem() throws Exception {
        Path file = dir.resolve("live.zcap");
        AtomicLong written = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        CaptureFileSink sink = CaptureFileSink.to(file).flushEvery(Duration.ofMillis(5)).open();
        Thread writer = new Thread(() -> {
            for (long seq = 1; !stop.get() && seq <= 20_000; seq++) {
                sink.accept(message(seq));
                written.set(seq);
                if (seq % 10 == 0) {
                    LockSupport.parkNanos(100_000); // a steady stream, not a flood the reader never catches up with
                }
            }
        }, "test-writer");
        writer.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> written.get() > 2_000);
            for (int round = 0; round < 3; round++) {
                List<CaptureEvent> seen = new ArrayList<>();
                RecordingReader.Result r = read(file, seen);
                assertThat(r.problems()).as("the live end is not damage").isEmpty();
                assertThat(r.live()).isTrue();
                assertThat(seen).isNotEmpty();
                for (int i = 0; i < seen.size(); i++) {
                    assertThat(seen.get(i)).isEqualTo(message(i + 1)); // every record whole, in order, none skipped
                }
            }
        } finally {
            stop.set(true);
            writer.join(10_000);
            sink.close();
        }
        List<CaptureEvent> all = new ArrayList<>();
        RecordingReader.Result done = read(file, all);
        assertThat(done.live()).isFalse();
        assertThat(done.problems()).isEmpty();
        assertThat(all).hasSize((int) written.get());
    }

    @Test
    void anIdleTailIsFlushedByTheTimer() throws IOException {
        Path file = dir.resolve("idle.zcap");
        try (CaptureFileSink sink = CaptureFileSink.to(file).flushEvery(Duration.ofMillis(20)).open()) {
            sink.accept(message(1)); // the first flush was at open: this one waits for the timer
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                List<CaptureEvent> seen = new ArrayList<>();
                read(file, seen);
                assertThat(seen).containsExactly(message(1));
            });
        }
    }

    @Test
    void aFileCutInTheMiddleOfARecordIsReportedWithItsOffset() throws IOException {
        Path file = dir.resolve("cut.zcap");
        byte[] big = new byte[200_000];
        new java.util.Random(1).nextBytes(big);
        try (CaptureFileSink sink = CaptureFileSink.to(file).flushEvery(Duration.ofMillis(200)).open()) {
            sink.accept(message(1));
            sink.tick(); // not due: the first record is flushed at the next event past 200 ms or at close
            sink.accept(new MessageEvent(T, "tap", "c1", 2, Direction.IN, null, List.of(Frame.of(big)), false));
        }
        byte[] whole = Files.readAllBytes(file);
        Path cut = Files.write(dir.resolve("cut-short.zcap"), java.util.Arrays.copyOf(whole, whole.length / 2));
        List<CaptureEvent> seen = new ArrayList<>();
        RecordingReader.Result r = read(cut, seen);
        assertThat(seen).containsExactly(message(1));
        assertThat(r.problems()).singleElement().asString().startsWith("cut at byte " + whole.length / 2
                + " in the middle of a record, after 1 events of the section at byte 0");
    }

    @Test
    void sizeRotationStartsNumberedSelfContainedFiles() throws IOException {
        Path file = dir.resolve("big.zcap");
        try (CaptureFileSink sink = CaptureFileSink.to(file).rotateBytes(4096).flushEvery(Duration.ZERO)
                .flushTimer(false).open()) {
            for (long seq = 1; seq <= 1000; seq++) {
                sink.accept(message(seq));
            }
        }
        assertThat(Files.exists(file)).as("rotated recordings are all numbered").isFalse();
        List<Path> parts = new ArrayList<>();
        for (long n = 1; Files.exists(CaptureFileNames.part(file, n)); n++) {
            parts.add(CaptureFileNames.part(file, n));
        }
        assertThat(parts).hasSizeGreaterThan(2);
        assertThat(parts.get(0).getFileName().toString()).isEqualTo("big-00001.zcap");
        List<CaptureEvent> all = new ArrayList<>();
        for (Path p : parts) {
            assertThat(Files.size(p)).isLessThan(4096 + 64 * 1024);
            List<CaptureEvent> one = new ArrayList<>();
            RecordingReader.Result r = read(p, one);
            assertThat(r.problems()).as(p.toString()).isEmpty();
            assertThat(r.sections()).isEqualTo(1);
            all.addAll(one);
        }
        assertThat(all).hasSize(1000).first().isEqualTo(message(1));
        assertThat(all.get(999)).isEqualTo(message(1000));
    }

    @Test
    void timeRotationFollowsTheClockAndARestartContinuesTheLastPart() throws IOException {
        Path file = dir.resolve("hourly.zcap");
        AtomicLong nanos = new AtomicLong();
        List<String> warnings = new CopyOnWriteArrayList<>();
        CaptureFileSink.Builder settings = CaptureFileSink.to(file).rotateEvery(Duration.ofHours(1)).flushTimer(false)
                .clock(nanos::get, () -> T).warnings(warnings::add);
        try (CaptureFileSink sink = settings.open()) {
            sink.accept(message(1));
            nanos.addAndGet(Duration.ofMinutes(59).toNanos());
            sink.accept(message(2));
            assertThat(sink.file()).isEqualTo(CaptureFileNames.part(file, 1));
            nanos.addAndGet(Duration.ofMinutes(1).toNanos());
            sink.tick(); // an hour: a new file even with no event
            assertThat(sink.file()).isEqualTo(CaptureFileNames.part(file, 2));
            sink.accept(message(3));
        }
        try (CaptureFileSink again = settings.open()) {
            assertThat(again.file()).as("appends to the newest part").isEqualTo(CaptureFileNames.part(file, 2));
            again.accept(message(4));
        }
        List<CaptureEvent> first = new ArrayList<>();
        List<CaptureEvent> second = new ArrayList<>();
        read(CaptureFileNames.part(file, 1), first);
        RecordingReader.Result r = read(CaptureFileNames.part(file, 2), second);
        assertThat(first).containsExactly(message(1), message(2));
        assertThat(second).containsExactly(message(3), message(4));
        assertThat(r.sections()).isEqualTo(2);
        assertThat(warnings).isEmpty();
    }
}
