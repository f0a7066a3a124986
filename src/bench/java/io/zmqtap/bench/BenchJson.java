package io.zmqtap.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Bench results as JSON, for scripts and for comparing runs.
 *
 * <pre>
 * {"machine":{"cpus":2,"cpu_model":"AMD EPYC","java":"...","libzmq":"4.3.4","load_average":0.4},
 *  "config":{"duration_s":3.0,"warmup_s":1.0,"jvm_warmup_s":4.0,"rounds":3,"topology":"deployed","contended":2},
 *  "runs":[{"setup":"zmqtap","load":"dealer","size":16,"window":100,"msgs_per_s":101233.4,
 *           "mb_per_s":1.62,"rtt_p50_us":950.3,"rtt_p99_us":2100.0,"rtt_p999_us":3900.1,
 *           "sent":303700,"received":303700,"lost":0,"captured":607400,"capture_loss_pct":0.0,
 *           "rounds_msgs_per_s":[99800.1,101233.4,103010.9]}, ...]}
 * </pre>
 * Round trips have {@code "load":"req","window":1}; setups without a capture feed have
 * {@code "captured":null,"capture_loss_pct":null}. {@code topology} is {@code deployed} (echo server
 * and sniffer each in its own process) or {@code in-process}; {@code contended} counts the CPU-bound
 * neighbour threads (0: none).
 *
 * <p>Usage: {@code Files.writeString(path, BenchJson.toJson(machine, config, results));}
 */
public final class BenchJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BenchJson() {}

    public static String toJson(Machine machine, BenchConfig config, List<RunResult> results) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode m = root.putObject("machine");
        m.put("cpus", machine.cpus());
        m.put("cpu_model", machine.cpuModel());
        m.put("java", machine.java());
        m.put("libzmq", machine.libzmq());
        m.put("load_average", machine.loadAverage());
        ObjectNode c = root.putObject("config");
        c.put("duration_s", config.duration().toNanos() / 1e9);
        c.put("warmup_s", config.warmup().toNanos() / 1e9);
        c.put("jvm_warmup_s", config.jvmWarmup().toNanos() / 1e9);
        c.put("rounds", config.rounds());
        c.put("topology", config.topology().code());
        c.put("contended", config.contended());
        ArrayNode runs = root.putArray("runs");
        results.forEach(r -> runs.add(run(r)));
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write bench JSON", e);
        }
    }

    static ObjectNode run(RunResult r) {
        Measurement m = r.measurement();
        ObjectNode o = MAPPER.createObjectNode();
        o.put("setup", r.setup());
        o.put("load", r.load().kind().code());
        o.put("size", r.load().size());
        o.put("window", r.load().window());
        o.put("msgs_per_s", round(r.messagesPerSecond(), 1));
        o.put("mb_per_s", round(r.megabytesPerSecond(), 3));
        putMicros(o, "rtt_p50_us", m.rttP50Us());
        putMicros(o, "rtt_p99_us", m.rttP99Us());
        putMicros(o, "rtt_p999_us", m.rttP999Us());
        o.put("sent", m.sent());
        o.put("received", m.received());
        o.put("lost", m.lost());
        if (r.hasCapture()) {
            o.put("captured", r.captured());
            o.put("capture_loss_pct", round(r.captureLossPercent(), 4));
        } else {
            o.putNull("captured");
            o.putNull("capture_loss_pct");
        }
        ArrayNode rates = o.putArray("rounds_msgs_per_s");
        r.roundRates().forEach(rate -> rates.add(round(rate, 1)));
        return o;
    }

    private static void putMicros(ObjectNode o, String field, double us) {
        if (Double.isNaN(us)) {
            o.putNull(field);
        } else {
            o.put(field, round(us, 1));
        }
    }

    private static double round(double v, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }
}
