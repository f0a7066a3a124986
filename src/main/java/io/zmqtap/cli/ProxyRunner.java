package io.zmqtap.cli;

import io.zmqtap.ZmqTapException;
import io.zmqtap.proxy.MonitoredQueue;
import io.zmqtap.proxy.ProxyStatistics;
import io.zmqtap.proxy.StatisticsJson;
import io.zmqtap.sink.Ansi;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a proxy in the foreground for {@code queue} and {@code proxy}: prints what it bound and
 * connected, an optional running summary, and a final summary on Ctrl-C, SIGTERM or TERMINATE.
 *
 * <p>Ctrl-C and SIGTERM end the process within {@link #SHUTDOWN_LIMIT_MILLIS} whatever JeroMQ does
 * (a JeroMQ context whose I/O thread died waits for it for ever): past that, the process halts.
 */
final class ProxyRunner {
    /** How long Ctrl-C or SIGTERM may take at most before the process halts. */
    static final long SHUTDOWN_LIMIT_MILLIS = 5_000;

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private final Ansi ansi;

    ProxyRunner(PrintWriter out, PrintWriter err, boolean json, Ansi ansi) {
        this.out = out;
        this.err = err;
        this.json = json;
        this.ansi = ansi;
    }

    int run(String name, MonitoredQueue.Builder builder, String details, Duration stats) throws InterruptedException {
        MonitoredQueue queue = builder.notices(this::notice).start();
        out.println(startLine(name, queue, details));
        out.flush();
        AtomicBoolean summarized = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            haltLater(130);
            queue.close();
            summary(name, queue.statistics(), summarized);
        }, "zmqtap-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean periodic = !stats.isZero();
        try {
            while (!queue.awaitTermination(periodic ? stats : Duration.ofHours(1))) {
                if (periodic) {
                    progress(queue.statistics());
                }
            }
        } finally {
            queue.close();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            return 130; // already shutting down: the hook prints the summary
        }
        summary(name, queue.statistics(), summarized);
        if (queue.failure() != null) {
            err.println("zmqtap: " + name + " stopped: " + ZmqTapException.oneLine(queue.failure()));
            err.flush();
            return 1;
        }
        return 0;
    }

    /** Halts the process with {@code status} if shutting down takes longer than {@link #SHUTDOWN_LIMIT_MILLIS}. */
    private static void haltLater(int status) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(SHUTDOWN_LIMIT_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(status);
        }, "zmqtap-shutdown-limit");
        t.setDaemon(true);
        t.start();
    }

    private String startLine(String name, MonitoredQueue q, String details) {
        if (json) {
            var o = io.zmqtap.sink.JsonSink.mapper().createObjectNode();
            o.put("type", "started");
            o.put("command", name);
            o.put("engine", q.engine().name().toLowerCase(java.util.Locale.ROOT));
            o.put("frontend_type", q.frontendType().name());
            o.putPOJO("frontend", q.frontendEndpoints());
            o.put("backend_type", q.backendType().name());
            o.putPOJO("backend", q.backendEndpoints());
            o.putPOJO("capture", q.captureEndpoints());
            o.putPOJO("control", q.controlEndpoints());
            return o.toString();
        }
        StringBuilder sb = new StringBuilder(ansi.bold("zmqtap " + name) + ": frontend " + q.frontendType() + " "
                + String.join(",", q.frontendEndpoints()) + ", backend " + q.backendType() + " "
                + String.join(",", q.backendEndpoints()));
        if (!q.captureEndpoints().isEmpty()) {
            sb.append(", capture ").append(String.join(",", q.captureEndpoints()));
        }
        if (!q.controlEndpoints().isEmpty()) {
            sb.append(", control ").append(String.join(",", q.controlEndpoints()));
        }
        String engine = "engine " + q.engine().name().toLowerCase(java.util.Locale.ROOT);
        return sb.append(" (").append(engine).append(details.isEmpty() ? "" : ", " + details).append(")").toString();
    }

    /** A connection the wire engine dropped for breaking the protocol: one line on stderr. */
    private void notice(String line) {
        if (json) {
            err.println(JsonLineWriter.textLine("notice", "message", line));
        } else {
            err.println(ansi.yellow("zmqtap: " + line));
        }
        err.flush();
    }

    private void progress(ProxyStatistics s) {
        err.println(json ? withType("stats", s) : ansi.dim("zmqtap: " + s.summary()));
        err.flush();
    }

    private void summary(String name, ProxyStatistics s, AtomicBoolean done) {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        out.println(json ? withType("summary", s) : "zmqtap " + name + " stopped: " + s.summary());
        out.flush();
    }

    private static String withType(String type, ProxyStatistics s) {
        var o = StatisticsJson.of(s);
        o.put("type", type);
        return o.toString();
    }
}
