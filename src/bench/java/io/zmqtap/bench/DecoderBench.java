package io.zmqtap.bench;

import io.zmqtap.event.Frame;
import io.zmqtap.zmtp.Greeting;
import io.zmqtap.zmtp.ProtocolError;
import io.zmqtap.zmtp.ZmtpCommand;
import io.zmqtap.zmtp.ZmtpDecoder;
import io.zmqtap.zmtp.ZmtpListener;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Decode throughput of {@link ZmtpDecoder} on one core, over streams built in memory: (a) 64 KiB
 * frames, in GB/s, and (b) 16-byte frames, in frames/s. Input is fed in 64 KiB reads, as a
 * socket would deliver it.
 *
 * <p>Usage: {@code java -cp target/classes:$(cat cp.txt) io.zmqtap.bench.DecoderBench [seconds]}, or
 * {@code DecoderBench.run(Duration.ofSeconds(10))} from code.
 */
public final class DecoderBench {
    private static final int READ_SIZE = 64 * 1024;

    private DecoderBench() {}

    /**
     * @param largeBytesPerSecond decoded bytes per second with 64 KiB frames
     * @param smallFramesPerSecond decoded frames per second with 16-byte frames
     */
    public record Result(double largeBytesPerSecond, double smallFramesPerSecond) {
        /** Two lines, e.g. "decode 64 KiB frames: 3.21 GB/s". */
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "decode 64 KiB frames: %.2f GB/s%ndecode 16 B frames: %.2f million frames/s",
                    largeBytesPerSecond / 1e9, smallFramesPerSecond / 1e6);
        }
    }

    public static void main(String[] args) {
        Duration duration = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 8);
        System.out.println(run(duration));
    }

    /** Runs both measurements in about {@code duration}, a quarter of each spent warming up. */
    public static Result run(Duration duration) {
        long half = duration.toNanos() / 2;
        Measure large = measure(stream(64 * 1024, 256), half);
        Measure small = measure(stream(16, 1_000_000), half);
        return new Result(large.bytes / large.seconds, small.frames / small.seconds);
    }

    private record Measure(double bytes, double frames, double seconds) {}

    private static Measure measure(byte[] stream, long nanos) {
        Counter counter = new Counter();
        long warmUpEnd = System.nanoTime() + nanos / 4;
        while (System.nanoTime() < warmUpEnd) {
            decode(stream, counter);
        }
        counter.frames = 0;
        long bytes = 0;
        long start = System.nanoTime();
        long end = start + nanos * 3 / 4;
        long now;
        do {
            decode(stream, counter);
            bytes += stream.length;
            now = System.nanoTime();
        } while (now < end);
        if (counter.errors > 0 || counter.keptBytes == 0) {
            throw new IllegalStateException("benchmark stream did not decode cleanly");
        }
        return new Measure(bytes, counter.frames, (now - start) / 1e9);
    }

    private static void decode(byte[] stream, Counter counter) {
        ZmtpDecoder decoder = new ZmtpDecoder(counter);
        for (int pos = 0; pos < stream.length; pos += READ_SIZE) {
            decoder.feed(stream, pos, Math.min(READ_SIZE, stream.length - pos));
        }
        decoder.end();
    }

    /** A ZMTP/3.1 stream: greeting, READY, then {@code count} single-frame messages of {@code size} bytes. */
    static byte[] stream(int size, int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] greeting = new byte[64];
        greeting[0] = (byte) 0xff;
        greeting[9] = 0x7f;
        greeting[10] = 3;
        greeting[11] = 1;
        System.arraycopy("NULL".getBytes(), 0, greeting, 12, 4);
        out.writeBytes(greeting);
        byte[] ready = {4, 25, 5, 'R', 'E', 'A', 'D', 'Y', 11, 'S', 'o', 'c', 'k', 'e', 't', '-', 'T', 'y', 'p', 'e',
            0, 0, 0, 3, 'R', 'E', 'Q'};
        out.writeBytes(ready);
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        for (int i = 0; i < count; i++) {
            if (size > 255) {
                out.write(0x02);
                for (int shift = 56; shift >= 0; shift -= 8) {
                    out.write((int) ((long) size >>> shift) & 0xff);
                }
            } else {
                out.write(0x00);
                out.write(size);
            }
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    /** Counts what the decoder reports, so the JIT cannot drop the work. */
    private static final class Counter implements ZmtpListener {
        long frames;
        long keptBytes;
        long errors;

        @Override
        public void greeting(Greeting greeting) {}

        @Override
        public void command(ZmtpCommand command) {}

        @Override
        public void message(List<Frame> frames) {
            this.frames += frames.size();
            for (Frame f : frames) {
                keptBytes += f.data().length; // touch what a real consumer would
            }
        }

        @Override
        public void protocolError(ProtocolError error) {
            errors++;
        }
    }
}
