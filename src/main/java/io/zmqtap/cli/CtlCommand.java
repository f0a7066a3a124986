package io.zmqtap.cli;

import io.zmqtap.ZmqTapException;
import io.zmqtap.endpoint.Endpoint;
import io.zmqtap.endpoint.Sockets;
import io.zmqtap.sink.JsonSink;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code zmqtap ctl}: steer a running proxy through its control socket. */
@Command(name = "ctl", mixinStandardHelpOptions = true,
        description = {
            "Send a command to a proxy's control socket (zmqtap's or any libzmq zmq_proxy_steerable with a REP",
            "control socket): pause, resume, terminate, stats (libzmq STATISTICS) or stats-json (zmqtap extras)."
        })
public final class CtlCommand implements Callable<Integer> {
    private static final String[] NAMES = {"msgs in", "bytes in", "msgs out", "bytes out"};

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ENDPOINT", description = "The control socket, e.g. tcp://127.0.0.1:6000.")
    String endpoint;

    @Parameters(index = "1", paramLabel = "COMMAND", description = "pause, resume, terminate, stats or stats-json.")
    String command;

    @Option(names = "--timeout", paramLabel = "MS", defaultValue = "3000", description = "Wait this long for the reply.")
    int timeoutMillis;

    @Option(names = "--json", description = "Print stats as JSON.")
    boolean json;

    @Override
    public Integer call() {
        String wire = switch (command.toLowerCase(Locale.ROOT)) {
            case "pause" -> "PAUSE";
            case "resume" -> "RESUME";
            case "terminate" -> "TERMINATE";
            case "stats", "statistics" -> "STATISTICS";
            case "stats-json" -> "STATISTICS JSON";
            default -> throw new ZmqTapException("unknown command '" + command
                    + "': expected pause, resume, terminate, stats or stats-json");
        };
        Endpoint e = Endpoint.parse(endpoint);
        Endpoint target = e.bind() && !endpoint.startsWith("@") ? new Endpoint(false, e.address()) : e;
        PrintWriter out = spec.commandLine().getOut();
        try (ZContext ctx = new ZContext(1)) {
            ZMQ.Socket req = ctx.createSocket(SocketType.REQ);
            req.setLinger(0);
            req.setReceiveTimeOut(timeoutMillis);
            req.setSendTimeOut(timeoutMillis);
            Sockets.attach(req, List.of(target), "control client");
            if (!req.send(wire)) {
                throw new ZmqTapException("could not reach " + endpoint + " within " + timeoutMillis
                        + " ms (is a proxy with --control listening there?)");
            }
            List<byte[]> reply = new ArrayList<>();
            byte[] frame = req.recv();
            if (frame == null) {
                throw new ZmqTapException("no reply from " + endpoint + " within " + timeoutMillis
                        + " ms (is a proxy with --control listening there?)");
            }
            reply.add(frame);
            while (req.hasReceiveMore()) {
                reply.add(req.recv());
            }
            print(out, wire, reply);
        }
        return 0;
    }

    private void print(PrintWriter out, String wire, List<byte[]> reply) {
        String first = new String(reply.get(0), StandardCharsets.UTF_8);
        if (first.startsWith("ERROR")) {
            throw new ZmqTapException("proxy answered: " + first);
        }
        if (wire.equals("STATISTICS")) {
            if (reply.size() != 8) {
                throw new ZmqTapException("STATISTICS reply has " + reply.size() + " frames, expected 8");
            }
            long[] v = new long[8];
            for (int i = 0; i < 8; i++) {
                v[i] = ByteBuffer.wrap(reply.get(i)).order(ByteOrder.nativeOrder()).getLong();
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
                out.println(o);
            } else {
                out.println(line("frontend", v, 0));
                out.println(line("backend ", v, 4));
            }
        } else if (wire.equals("STATISTICS JSON")) {
            out.println(first);
        } else {
            out.println(json ? "{\"ok\":true,\"command\":\"" + wire + "\"}" : "ok: " + wire);
        }
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
