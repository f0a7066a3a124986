package io.zmqtap.cli;

import io.zmqtap.ZmqTapException;
import io.zmqtap.endpoint.Endpoint;
import io.zmqtap.endpoint.Exposure;
import io.zmqtap.event.EventJson;
import io.zmqtap.event.NoticeEvent;
import io.zmqtap.event.Sink;
import io.zmqtap.event.StatisticsEvent;
import io.zmqtap.pipeline.Pipeline;
import io.zmqtap.proxy.ForwardListener;
import io.zmqtap.proxy.ForwardedMessage;
import io.zmqtap.proxy.MonitoredQueue;
import io.zmqtap.security.SocketSecurity;
import io.zmqtap.sink.Ansi;
import io.zmqtap.sink.JsonSink;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Runs a proxy in the foreground for {@code queue} and {@code proxy}: says what it bound and
 * connected (stderr), prints what it forwards with {@code --show} (stdout), running statistics with
 * {@code --stats} and the summary when it stops, on Ctrl-C, SIGTERM or TERMINATE.
 *
 * <p>Statistics are one {@link StatisticsEvent}: the proxy's counters, servers and capture
 * subscribers ({@link io.zmqtap.proxy.ProxyStatistics#toEvent}) and, when {@code --show} or
 * {@code --stats} feed a {@link Pipeline} with the traffic, its clients with their reply latency. In
 * text they go to stderr; with {@code --json} to stdout, as {@code "type":"statistics"} lines.
 * Without {@code --show} and {@code --stats} nothing listens to the traffic: it costs nothing.
 *
 * <p>Ctrl-C and SIGTERM end the process within {@link #SHUTDOWN_LIMIT_MILLIS} whatever JeroMQ does
 * (a JeroMQ context whose I/O thread died waits for it for ever): past that, the process halts.
 */
final class ProxyRunner {
    /** How long Ctrl-C or SIGTERM may take at most before the process halts. */
    static final long SHUTDOWN_LIMIT_MILLIS = 5_000;
    /** How often the main thread looks whether stdout failed (and, within it, gives running statistics). */
    private static final Duration TICK = Duration.ofSeconds(1);

    private final PrintWriter out;
    private final PrintWriter err;
    private final OutputOptions output;
    private final boolean show;
    private final Ansi ansi;
    /** Where statistics go: a console on stderr, or JSON lines on stdout, or the {@code --top} screen. */
    private final Sink statsSink;
    /** {@code --top}'s screen, which also takes the traffic's notices; null without it. */
    private final Sink top;
    private final AtomicReference<MonitoredQueue> queue = new AtomicReference<>();
    private final long startNanos = System.nanoTime();

    ProxyRunner(CommandSpec spec, OutputOptions output, boolean show) {
        this.out = spec.commandLine().getOut();
        this.err = spec.commandLine().getErr();
        this.output = output;
        this.show = show;
        this.ansi = output.ansi();
        Sink usual = output.json ? output.redacted(new JsonSink(out)) : output.diagnostics(err, false);
        this.top = output.top(out, usual);
        this.statsSink = top != null ? top : usual;
    }

    int run(String name, MonitoredQueue.Builder builder, String details) throws InterruptedException {
        Duration every = output.statsEvery();
        output.filter(); // a bad --filter is refused before the proxy binds
        Pipeline pipeline = show || !every.isZero() || output.recording.write != null ? pipeline(builder, name) : null;
        if (!show && top == null) {
            builder.notices(this::notice); // with --show (or --top) they are events among the messages
        }
        MonitoredQueue q = builder.start();
        queue.set(q);
        err.println(startLine(name, q, details));
        err.flush();
        warnExposed(q);
        AtomicBoolean summarized = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            haltLater(130);
            q.close();
            summary(pipeline, summarized);
        }, "zmqtap-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean periodic = !every.isZero();
        boolean interrupted = false;
        boolean toldOutputFailed = false;
        try {
            long nextStats = System.nanoTime() + every.toNanos();
            while (!q.awaitTermination(periodic && every.compareTo(TICK) < 0 ? every : TICK)) {
                Optional<String> outputFailed = toldOutputFailed ? Optional.empty() : OutputLoss.goingOn(name);
                if (outputFailed.isPresent()) { // traffic goes on whatever happens to stdout: said once
                    warning(outputFailed.get());
                    toldOutputFailed = true;
                }
                if (periodic && System.nanoTime() - nextStats >= 0) {
                    statsSink.accept(statistics(pipeline, false));
                    nextStats += every.toNanos();
                }
            }
        } catch (InterruptedException e) {
            interrupted = true; // run on a thread that is told to stop (embedded, tests): stop as on Ctrl-C
        } finally {
            q.close();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            return 130; // already shutting down: the hook prints the summary
        }
        summary(pipeline, summarized);
        if (interrupted) {
            Thread.currentThread().interrupt();
            return 130;
        }
        if (q.failure() != null) {
            err.println("zmqtap: " + name + " stopped: " + ZmqTapException.oneLine(q.failure()));
            err.flush();
            return 1;
        }
        return 0;
    }

    /**
     * The pipeline the traffic goes through: to the console or JSON lines with {@code --show}, and
     * into the statistics (clients, latency) either way; its statistics reach {@link #statsSink}
     * with the proxy's own added. Registers the listener that feeds it.
     */
    private Pipeline pipeline(MonitoredQueue.Builder builder, String name) {
        Pipeline.Builder b = output.recording.addTo(Pipeline.builder("proxy"), name, false, err).filter(output.filter())
                .statsSink(event -> statsSink.accept(event instanceof StatisticsEvent s ? withProxy(s) : event))
                .counters(() -> {
                    MonitoredQueue q = queue.get();
                    return q == null ? Map.of() : q.statistics().counters();
                });
        if (top != null) {
            b.sink(top); // for the notices: it shows no message
        } else if (show) {
            b.sink(output.pipelineSink(out, false));
        }
        Pipeline pipeline = b.start();
        builder.listener(new Feed(pipeline, show || top != null));
        return pipeline;
    }

    /** The statistics now: the pipeline's with the proxy's, or the proxy's alone. */
    private StatisticsEvent statistics(Pipeline pipeline, boolean last) {
        if (pipeline != null) {
            return withProxy(pipeline.statistics(last));
        }
        MonitoredQueue q = queue.get();
        return q.statistics().toEvent(q.source(), Duration.ofNanos(System.nanoTime() - startNanos), last);
    }

    /**
     * One statistics event from the pipeline's (its clients with their latency, requests unanswered)
     * and the proxy's (its counters, servers and capture subscribers), named after the proxy.
     */
    private StatisticsEvent withProxy(StatisticsEvent fromPipeline) {
        MonitoredQueue q = queue.get();
        if (q == null) {
            return fromPipeline;
        }
        StatisticsEvent proxy = q.statistics().toEvent(q.source(), fromPipeline.elapsed(), fromPipeline.last());
        Map<String, Long> counters = new LinkedHashMap<>(proxy.counters());
        fromPipeline.counters().forEach(counters::putIfAbsent);
        List<StatisticsEvent.Peer> peers = new ArrayList<>(fromPipeline.peers());
        peers.addAll(proxy.peers());
        return new StatisticsEvent(fromPipeline.time(), proxy.source(), null, fromPipeline.last(),
                fromPipeline.elapsed(), counters, peers, fromPipeline.unanswered());
    }

    /** The last statistics, once: through the pipeline (which delivers what waits first), or the proxy's. */
    private void summary(Pipeline pipeline, AtomicBoolean done) {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        if (pipeline != null) {
            pipeline.close();
        } else {
            statsSink.accept(statistics(null, true));
        }
        statsSink.close();
        out.flush();
        err.flush();
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
        String engine = q.engine().name().toLowerCase(Locale.ROOT);
        if (output.json) {
            var o = JsonSink.mapper().createObjectNode();
            o.put("type", "started");
            o.put("command", name);
            o.put("engine", engine);
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
        return sb.append(" (engine ").append(engine).append(details.isEmpty() ? "" : ", " + details).append(")")
                .toString();
    }

    /**
     * One warning line per capture or control endpoint other machines can reach without CURVE:
     * what it exposes and how to close it (issue 13: a sniffer must not become the hole).
     */
    private void warnExposed(MonitoredQueue q) {
        boolean capturePlain = q.captureMechanism() == SocketSecurity.Mechanism.PLAIN;
        boolean controlPlain = q.controlMechanism() == SocketSecurity.Mechanism.PLAIN;
        for (String e : q.captureEndpoints()) {
            Exposure.warning(Endpoint.parse(e), capturePlain ? Exposure.CAPTURE_FEED_PLAIN : Exposure.CAPTURE_FEED,
                    q.captureCurve()).ifPresent(this::warning);
        }
        for (String e : q.controlEndpoints()) {
            Exposure.warning(Endpoint.parse(e), controlPlain ? Exposure.CONTROL_SOCKET_PLAIN : Exposure.CONTROL_SOCKET,
                    q.controlCurve()).ifPresent(this::warning);
        }
    }

    /** A warning line on stderr: {@code zmqtap: warning: ...}, or a warning notice with {@code --json}. */
    private void warning(String line) {
        notice(output.json ? line : "warning: " + line);
    }

    /** A notice without {@code --show} (a dropped connection, a server lost): one line on stderr. */
    private void notice(String line) {
        if (output.json) {
            MonitoredQueue q = queue.get();
            err.println(EventJson.toJson(new NoticeEvent(Instant.now(), q == null ? "proxy" : q.source(),
                    NoticeEvent.Level.WARNING, line)));
        } else {
            err.println(ansi.yellow("zmqtap: " + line));
        }
        err.flush();
    }

    /**
     * The traffic into the pipeline: each message copied into an event (the pipeline takes it without
     * waiting, or drops and counts it); with {@code --show} the proxy's notices too.
     */
    private record Feed(Pipeline pipeline, boolean notices) implements ForwardListener {
        @Override
        public void forwarded(ForwardedMessage message) {
            pipeline.accept(message.toEvent());
        }

        @Override
        public void notice(NoticeEvent notice) {
            if (notices) {
                pipeline.accept(notice);
            }
        }
    }
}
