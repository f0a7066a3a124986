package io.zmqtap.cli;

import io.zmqtap.dissect.Dissector;
import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.Sink;
import io.zmqtap.pcap.CapturedPacket;
import io.zmqtap.pcap.TcpDecoder;
import io.zmqtap.pcap.TcpReassembler;
import io.zmqtap.pcap.TcpSegment;
import io.zmqtap.pipeline.Pipeline;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * What {@code sniff} and {@code read} put behind their packets: TCP decoding, reassembly,
 * {@code dissect}, then a pipeline to the console or JSON lines, with the statistics on stderr in
 * text and among the events in JSON. Fed from one thread (the reassembly is not thread-safe).
 *
 * <p>Usage: {@code chain.packet(p) ... chain.finish(); chain.close();}
 */
final class SegmentChain implements AutoCloseable {
    private final TcpDecoder decoder = new TcpDecoder();
    private final Pipeline pipeline;
    /** Set once the pipeline it feeds exists; the statistics may be asked for before. */
    private volatile TcpReassembler reassembler;

    /**
     * @param file a file is delivered on the reading thread and waits for a slow output; a live
     *        capture hands over to the pipeline thread and drops and counts instead
     * @param sourceCounters the source's own counts, put first in the statistics
     * @param input wraps what goes into the pipeline (e.g. sniff's {@code --count})
     */
    SegmentChain(String source, PassiveOptions passive, OutputOptions output, PrintWriter out, PrintWriter err,
            boolean file, Supplier<Map<String, Long>> sourceCounters,
            UnaryOperator<Consumer<CaptureEvent>> input) {
        int snap = passive.snapBytes();
        Sink console = output.diagnostics(err, true);
        Sink top = output.top(out, console); // --top: the screen takes the events and statistics
        Sink events = top != null ? top : output.pipelineSink(out, true);
        Sink stats = top != null ? top : output.json ? events : console;
        pipeline = output.recording.addTo(Pipeline.builder(source).sink(events), file ? "read" : "sniff", !file, err)
                .statsSink(stats).statsEvery(output.statsEvery()).confined(file).eventTime(file)
                .counters(() -> counters(sourceCounters.get())).filter(output.filter()).start();
        Consumer<CaptureEvent> into = input.apply(pipeline::accept);
        reassembler = new TcpReassembler(source, Dissector.confined(into, snap, Dissector.Counters.NONE), into,
                passive.reassembly());
    }

    /** The decoder {@code CaptureFileReader.readSegments} uses for {@link #segment}. */
    TcpDecoder decoder() {
        return decoder;
    }

    Pipeline pipeline() {
        return pipeline;
    }

    /** A captured packet: decoded, and reassembled when it is TCP. */
    void packet(CapturedPacket packet) {
        TcpSegment s = decoder.decodeView(packet);
        if (s != null) {
            segment(s);
        }
    }

    void segment(TcpSegment s) {
        reassembler.segment(s);
    }

    /** No more packets: every open connection ends at the last packet's time (its gaps reported first). */
    void finish() {
        reassembler.finish();
    }

    /** Delivers what waits, then the last statistics. */
    @Override
    public void close() {
        pipeline.close();
    }

    /** The source's counts, the packets', then the reassembly's. */
    private Map<String, Long> counters(Map<String, Long> source) {
        Map<String, Long> c = new LinkedHashMap<>(source);
        c.putAll(decoder.counts().counters());
        TcpReassembler r = reassembler;
        if (r != null) {
            c.putAll(r.counters().counters());
        }
        return c;
    }
}
