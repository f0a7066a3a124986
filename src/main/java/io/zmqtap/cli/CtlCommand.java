package io.zmqtap.cli;

import io.zmqtap.BadValueException;
import io.zmqtap.ZmqTapException;
import io.zmqtap.endpoint.Endpoint;
import io.zmqtap.endpoint.SocketTypes;
import io.zmqtap.proxy.Steering;
import io.zmqtap.sink.JsonSink;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.zeromq.SocketType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code zmqtap ctl}: steer a running proxy through its control socket, zmqtap's or libzmq's.
 *
 * <p>It first asks STATISTICS, which both understand, and learns from the reply who answered
 * (see {@link ControlClient}): zmqtap-only commands go to zmqtap only, because libzmq 4.3.4's
 * {@code zmq_proxy_steerable} aborts its process on a command it does not know. libzmq acknowledges
 * PAUSE, RESUME and TERMINATE only from 4.3.5 on, so their acknowledgement is waited for briefly
 * and optional there.
 */
@Command(name = "ctl", mixinStandardHelpOptions = true,
        header = "Pause, resume, stop or query a proxy through its control socket.",
        description = {
            "Send a command to a proxy's control socket (zmqtap's, or libzmq's zmq_proxy_steerable with a REP or PAIR "
                    + "control socket): pause, resume, terminate, stats (libzmq STATISTICS) or stats-json (zmqtap only)."
        })
public final class CtlCommand implements Callable<Integer> {
    private static final String[] NAMES = {"msgs in", "bytes in", "msgs out", "bytes out"};
    /** How long to wait for an acknowledgement libzmq may not send (4.3.4 never does). */
    private static final long OPTIONAL_ACK_MS = 300;

    /** The commands, with what goes on the wire. */
    private enum Verb {
        PAUSE("PAUSE"), RESUME("RESUME"), TERMINATE("TERMINATE"), STATS("STATISTICS"), STATS_JSON("STATISTICS JSON");

        final String wire;

        Verb(String wire) {
            this.wire = wire;
        }

        static Verb parse(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "pause" -> PAUSE;
                case "resume" -> RESUME;
                case "terminate" -> TERMINATE;
                case "stats", "statistics" -> STATS;
                case "stats-json" -> STATS_JSON;
                default -> throw new ZmqTapException("unknown command '" + name
                        + "': expected pause, resume, terminate, stats or stats-json");
            };
        }
    }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ENDPOINT", description = "The control socket, e.g. tcp://127.0.0.1:6000.")
    String endpoint;

    @Parameters(index = "1", paramLabel = "COMMAND", description = "pause, resume, terminate, stats or stats-json.")
    String command;

    @Option(names = "--timeout", paramLabel = "TIME", defaultValue = "3s",
            description = "Give up after this long in all (connecting, asking, waiting), e.g. 500ms or 10s."
                    + " Default: ${DEFAULT-VALUE}.")
    String timeout;

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "REQ",
            description = "REQ for a REP control socket, PAIR for a PAIR one (which answers STATISTICS only)."
                    + " Default: ${DEFAULT-VALUE}.")
    String type;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Mixin
    ClientSecurityOptions security = new ClientSecurityOptions();

    @Override
    public Integer call() {
        long timeoutMillis = timeoutMillis();
        Verb verb = Verb.parse(command);
        SocketType socketType = SocketTypes.parse("--type", type, Set.of(SocketType.REQ, SocketType.PAIR));
        if (verb == Verb.STATS_JSON && socketType == SocketType.PAIR) {
            throw new ZmqTapException("stats-json needs a REP control socket: over PAIR, ctl cannot tell zmqtap from"
                    + " libzmq's zmq_proxy_steerable, which aborts on commands it does not know; use stats");
        }
        Endpoint e = Endpoint.parse(endpoint);
        Endpoint target = e.bind() && !endpoint.startsWith("@") ? new Endpoint(false, e.address()) : e;
        try (ControlClient control = ControlClient.open(target, socketType, timeoutMillis,
                security.security())) {
            // STATISTICS first: every steerable proxy answers it, and the answer says whether it is zmqtap
            ControlClient.Reply stats = required(control, Verb.STATS);
            if (stats.frames().size() != 8) {
                throw new ZmqTapException("STATISTICS reply has " + stats.frames().size() + " frames, expected 8");
            }
            switch (verb) {
                case STATS -> printStatistics(stats.frames());
                case STATS_JSON -> {
                    if (!stats.fromZmqtap()) {
                        throw new ZmqTapException(endpoint + " is not zmqtap's control socket (its reply lacks the"
                                + " routing id " + Steering.ROUTING_ID + "): stats-json is zmqtap's own"
                                + " command, and libzmq's zmq_proxy_steerable aborts on commands it does not know;"
                                + " use stats");
                    }
                    print(new String(required(control, verb).frames().get(0), StandardCharsets.UTF_8));
                }
                default -> steer(control, verb, stats.fromZmqtap());
            }
        }
        return 0;
    }

    /** {@code --timeout} in milliseconds, the resolution of the sockets' timeouts: at least 1. */
    private long timeoutMillis() {
        long millis = Durations.parse("--timeout", timeout).toMillis();
        if (millis < 1) {
            throw new BadValueException("bad --timeout '" + timeout + "': expected at least 1ms, e.g. 3s");
        }
        return millis;
    }

    /** Asks and insists on a reply. */
    private static ControlClient.Reply required(ControlClient control, Verb verb) {
        ControlClient.Reply reply = control.request(verb.wire, control.remainingMillis());
        if (reply == null) {
            throw control.silence();
        }
        String first = new String(reply.frames().get(0), StandardCharsets.UTF_8);
        if (first.startsWith("ERROR")) {
            throw new ZmqTapException("proxy answered: " + first);
        }
        return reply;
    }

    /**
     * PAUSE, RESUME or TERMINATE. zmqtap acknowledges them on REP; libzmq 4.3.4 never does (its REP
     * control socket then waits forever to send a reply and reads no further command), 4.3.5 does,
     * and a PAIR control socket does not.
     */
    private void steer(ControlClient control, Verb verb, boolean zmqtap) {
        if (zmqtap) {
            required(control, verb);
            printOk(verb, true, null);
            return;
        }
        boolean acknowledged = control.request(verb.wire, OPTIONAL_ACK_MS) != null;
        String note = null;
        if (control.type() == SocketType.PAIR) {
            note = null; // PAIR control sockets do not acknowledge steering: nothing unusual
        } else if (!acknowledged) {
            note = "libzmq 4.3.4's zmq_proxy_steerable does not acknowledge " + verb.wire
                    + (verb == Verb.TERMINATE ? "" : ", and its REP control socket then stops answering:"
                            + " further commands to it will time out");
        } else if (verb != Verb.TERMINATE) {
            note = "libzmq 4.3.5's zmq_proxy_steerable acts on PAUSE and RESUME the wrong way round"
                    + " (fixed after that release): check with stats that traffic does what you asked";
        }
        printOk(verb, acknowledged, note);
    }

    private void printOk(Verb verb, boolean acknowledged, String note) {
        if (json) {
            var o = JsonSink.mapper().createObjectNode();
            o.put("ok", true);
            o.put("command", verb.wire);
            o.put("acknowledged", acknowledged);
            if (note != null) {
                o.put("note", note);
            }
            print(o.toString());
            return;
        }
        print("ok: " + verb.wire);
        if (note != null) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("zmqtap ctl: note: " + note);
            err.flush();
        }
    }

    /** libzmq's layout: 8 uint64 frames in host byte order. */
    private void printStatistics(List<byte[]> frames) {
        long[] v = new long[8];
        for (int i = 0; i < 8; i++) {
            if (frames.get(i).length != 8) {
                throw new ZmqTapException("STATISTICS reply frame " + (i + 1) + " has " + frames.get(i).length
                        + " bytes, expected 8");
            }
            v[i] = ByteBuffer.wrap(frames.get(i)).order(ByteOrder.nativeOrder()).getLong();
        }
        if (json) {
            var o = JsonSink.mapper().createObjectNode();
            String[] keys = {"msgs_in", "bytes_in", "msgs_out", "bytes_out"};
            var f = o.putObject("frontend");
            var b = o.putObject("backend");
            for (int i = 0; i < 4; i++) {
                f.put(keys[i], v[i]);
                b.put(keys[i], v[i + 4]);
            }
            print(o.toString());
        } else {
            print(line("frontend", v, 0) + System.lineSeparator() + line("backend ", v, 4));
        }
    }

    private void print(String text) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(text);
        out.flush();
    }

    private static String line(String side, long[] v, int from) {
        StringBuilder sb = new StringBuilder(side);
        for (int i = 0; i < 4; i++) {
            sb.append("  ").append(NAMES[i]).append(' ').append(v[from + i]);
        }
        return sb.toString();
    }
}
