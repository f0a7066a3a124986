package io.zmqtap.bench;

import io.zmqtap.event.Sink;
import io.zmqtap.tap.WireTap;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Measures what the tap costs: a JeroMQ DEALER pipelining small messages to a JeroMQ ROUTER echo
 * server, directly and through a {@link WireTap} (decoding everything into events for a counting
 * sink), side by side in one run. Not a test: numbers depend on the machine.
 *
 * <pre>
 * mvn -B -q package -DskipTests
 * java -cp target/zmqtap.jar:target/zmqtap-0.1.0-SNAPSHOT-bench.jar io.zmqtap.bench.TapBench [messages [window [size [rounds]]]]   (200000 100 16 5)
 * </pre>
 *
 * Each round runs direct and tapped back to back: a pipelined run ({@code window} messages in
 * flight) for throughput and its round-trip median, then a ping-pong run (one in flight) for the
 * added latency of one hop pair. The table shows the median over rounds.
 */
public final class TapBench {
    private TapBench() {}

    /** One measurement: messages per second and round-trip percentiles in microseconds. */
    public record Result(double msgsPerSec, double p50Micros, double p99Micros) {}

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int window = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        List<Result[]> pipelined = new ArrayList<>();
        List<Result[]> pingPong = new ArrayList<>();
        LongAdder events = new LongAdder();
        try (ZContext ctx = new ZContext(); EchoServer server = new EchoServer(ctx)) {
            Sink counting = e -> events.increment();
            try (WireTap tap = WireTap.builder().route("tcp://127.0.0.1:0", server.endpoint).sink(counting).start()) {
                String tapped = tap.listenAddresses().get(0);
                for (String endpoint : List.of(server.endpoint, tapped)) { // warm up both paths and both modes
                    run(ctx, endpoint, messages / 5, window, size);
                    run(ctx, endpoint, messages / 20, 1, size);
                }
                for (int r = 0; r < rounds; r++) {
                    pipelined.add(new Result[] {
                        run(ctx, server.endpoint, messages, window, size), run(ctx, tapped, messages, window, size)});
                    pingPong.add(new Result[] {
                        run(ctx, server.endpoint, messages / 10, 1, size), run(ctx, tapped, messages / 10, 1, size)});
                }
                System.out.printf(Locale.ROOT, "%d messages of %d B, window %d, %d rounds (median shown); tap: %s%n",
                        messages, size, window, rounds, tap.statistics().summary());
            }
        }
        print("pipelined, window " + window, median(pipelined, 0), median(pipelined, 1));
        print("ping-pong, window 1", median(pingPong, 0), median(pingPong, 1));
        System.out.println("events delivered to the sink: " + events.sum());
    }

    private static Result median(List<Result[]> rounds, int which) {
        double[] t = rounds.stream().mapToDouble(r -> r[which].msgsPerSec()).sorted().toArray();
        double[] p50 = rounds.stream().mapToDouble(r -> r[which].p50Micros()).sorted().toArray();
        double[] p99 = rounds.stream().mapToDouble(r -> r[which].p99Micros()).sorted().toArray();
        int m = t.length / 2;
        return new Result(t[m], p50[m], p99[m]);
    }

    private static void print(String title, Result direct, Result tapped) {
        System.out.printf(Locale.ROOT, "%n%-22s %12s %12s %9s%n", title, "direct", "via tap", "ratio");
        System.out.printf(Locale.ROOT, "%-22s %12.0f %12.0f %8.2fx%n", "msgs/s", direct.msgsPerSec(),
                tapped.msgsPerSec(), tapped.msgsPerSec() / direct.msgsPerSec());
        System.out.printf(Locale.ROOT, "%-22s %12.1f %12.1f %+8.1f us%n", "round trip p50 (us)", direct.p50Micros(),
                tapped.p50Micros(), tapped.p50Micros() - direct.p50Micros());
        System.out.printf(Locale.ROOT, "%-22s %12.1f %12.1f %+8.1f us%n", "round trip p99 (us)", direct.p99Micros(),
                tapped.p99Micros(), tapped.p99Micros() - direct.p99Micros());
    }

    /** Sends {@code messages} of {@code size} bytes with at most {@code window} awaiting their echo. */
    public static Result run(ZContext ctx, String endpoint, int messages, int window, int size) {
        ZMQ.Socket dealer = ctx.createSocket(SocketType.DEALER);
        try {
            dealer.setReceiveTimeOut(10_000);
            dealer.connect(endpoint);
            Histogram rtt = new Histogram(3_600_000_000_000L, 3);
            ByteBuffer payload = ByteBuffer.allocate(Math.max(size, 16));
            int sent = 0;
            int received = 0;
            long start = System.nanoTime();
            while (received < messages) {
                while (sent < messages && sent - received < window) {
                    payload.clear();
                    payload.putLong(System.nanoTime()).putLong(sent);
                    dealer.send(Arrays.copyOf(payload.array(), size), 0);
                    sent++;
                }
                byte[] echo = dealer.recv(0);
                if (echo == null) {
                    throw new IllegalStateException("no echo within 10 s after " + received + " messages");
                }
                rtt.recordValue(System.nanoTime() - ByteBuffer.wrap(echo).getLong());
                received++;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(messages / seconds, rtt.getValueAtPercentile(50) / 1e3, rtt.getValueAtPercentile(99) / 1e3);
        } finally {
            dealer.close();
        }
    }

    /** A ROUTER that sends every message straight back to its sender, on a thread of its own. */
    private static final class EchoServer implements AutoCloseable {
        final String endpoint;
        private final Thread thread;
        private volatile boolean running = true;

        EchoServer(ZContext ctx) {
            ZMQ.Socket router = ctx.createSocket(SocketType.ROUTER);
            router.setReceiveTimeOut(100);
            endpoint = "tcp://127.0.0.1:" + router.bindToRandomPort("tcp://127.0.0.1");
            thread = new Thread(() -> {
                while (running) {
                    byte[] id = router.recv(0);
                    if (id == null) {
                        continue; // timeout: check whether to stop
                    }
                    byte[] body = router.recv(0);
                    router.send(id, ZMQ.SNDMORE);
                    router.send(body, 0);
                }
                router.close();
            }, "bench-echo");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }
    }
}
