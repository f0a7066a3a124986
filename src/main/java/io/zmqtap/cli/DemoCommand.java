package io.zmqtap.cli;

import io.zmqtap.ZmqTapException;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.example.DoublingClient;
import io.zmqtap.example.DoublingServer;
import io.zmqtap.feed.FeedSubscriber;
import io.zmqtap.pipeline.Pipeline;
import io.zmqtap.proxy.MonitoredQueue;
import io.zmqtap.sink.Ansi;
import io.zmqtap.event.Sink;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code zmqtap demo}: the reference topology in one process on free loopback ports: server,
 * queue, watcher and client, once with the ROUTER's generated routing id and once with the client
 * identity {@code client_id_abc}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        header = "Show the reference topology's conversation, all in one process.",
        description = {
            "Run the reference topology in one process on free loopback ports and show the sniffed conversation:",
            "client [REQ] -> [ROUTER] queue [DEALER] -> [REP] server, queue [PUB] -> [SUB] watcher."
        })
public final class DemoCommand implements Callable<Integer> {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Spec
    CommandSpec spec;

    @Option(names = "--count", paramLabel = "N", defaultValue = "5", description = "Requests per client. Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(names = "--identity", paramLabel = "ID", defaultValue = "client_id_abc",
            description = "Identity of the second client. Default: ${DEFAULT-VALUE}.")
    String identity;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Ansi ansi = output.ansi();
        Sink lines = output.sink(out, false);
        Sink top = output.top(out, lines); // --top: a screen instead of the conversation
        Sink sink = top != null ? top : lines;
        Semaphore seen = new Semaphore(0);
        StringWriter serverLog = new StringWriter();
        try (DoublingServer server = DoublingServer.start("@tcp://127.0.0.1:*", new PrintWriter(serverLog));
             MonitoredQueue queue = MonitoredQueue.builder()
                     .frontend("@tcp://127.0.0.1:*")
                     .backend(">" + server.endpoints().get(0).substring(1))
                     .capture("@tcp://127.0.0.1:*")
                     .start()) {
            String feed = ">" + queue.captureEndpoints().get(0).substring(1);
            // the watcher's events go through a pipeline, as in `zmqtap watch`: each reply is paired
            // with its request and shows its latency, and the summary has each client's percentiles
            var filter = output.filter();
            Pipeline pipeline = Pipeline.builder(feed.substring(1))
                    .filter(filter == null ? null : e -> {
                        boolean shown = filter.test(e);
                        if (!shown && e instanceof MessageEvent) {
                            seen.release(); // each round waits for all its messages, hidden ones too
                        }
                        return shown;
                    })
                    .sink(e -> {
                        synchronized (sink) {
                            sink.accept(e);
                        }
                        if (e instanceof MessageEvent) {
                            seen.release();
                        }
                    })
                    .statsSink(e -> {
                        synchronized (sink) {
                            sink.accept(e);
                        }
                    })
                    .statsEvery(top != null ? output.statsEvery() : Duration.ZERO)
                    .start();
            try (FeedSubscriber watcher = FeedSubscriber.builder(feed).onEvent(pipeline::accept).start()) {
                String front = ">" + queue.frontendEndpoints().get(0).substring(1);
                note(out, ansi, "server REP " + server.endpoints().get(0) + ", queue ROUTER "
                        + queue.frontendEndpoints().get(0) + " -> DEALER, capture PUB " + queue.captureEndpoints().get(0)
                        + " (" + queue.engine().name().toLowerCase(java.util.Locale.ROOT) + " engine)");
                if (!queue.awaitCaptureSubscriber(TIMEOUT)) {
                    throw new ZmqTapException("the watcher did not subscribe to the capture feed within "
                            + TIMEOUT.toSeconds() + " s");
                }
                round(out, ansi, sink, seen, front, null, "client without identity: the ROUTER names it with a 5-byte routing id");
                round(out, ansi, sink, seen, front, identity, "client with identity " + identity);
            } finally {
                pipeline.close(); // the watcher's summary: messages, and each client's reply latency
            }
            note(out, ansi, "queue: " + queue.statistics().summary());
        }
        return 0;
    }

    private void round(PrintWriter out, Ansi ansi, Sink sink, Semaphore seen, String front, String id, String title)
            throws InterruptedException {
        note(out, ansi, title);
        StringWriter results = new StringWriter();
        DoublingClient.run(front, id, count, Duration.ofSeconds(5), new PrintWriter(results, true));
        if (!seen.tryAcquire(2 * count, TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new ZmqTapException("the watcher saw fewer than " + (2 * count) + " messages within " + TIMEOUT.toSeconds() + " s");
        }
        synchronized (sink) {
            for (String line : results.toString().split("\n")) {
                if (!line.isBlank()) {
                    note(out, ansi, "client printed: " + line.strip());
                }
            }
        }
    }

    private void note(PrintWriter out, Ansi ansi, String text) {
        if (output.top) {
            return; // the screen replaces the narration
        }
        if (output.json) {
            out.println(JsonLineWriter.textLine("demo", "text", text));
        } else {
            out.println(ansi.bold("-- " + text));
        }
        out.flush();
    }
}
