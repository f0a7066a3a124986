package io.zmqtap.endpoint;

import io.zmqtap.BadValueException;
import io.zmqtap.ZmqTapException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A ZeroMQ endpoint with CZMQ's bind/connect convention.
 *
 * <pre>
 *   &#64;tcp://*:4444          bind
 *   &gt;tcp://localhost:5555   connect
 *   tcp://*:4444           bind (host is *)
 *   tcp://localhost:5555   connect (any other host)
 *   inproc://backend       connect (no host: say &#64; to bind)
 * </pre>
 *
 * <p>Usage: {@code Endpoint e = Endpoint.parse("@tcp://*:4444"); e.bind(); // true}
 *
 * @param bind true to bind, false to connect
 * @param address the address without the {@code @}/{@code >} prefix, e.g. {@code tcp://*:4444}
 */
public record Endpoint(boolean bind, String address) {
    private static final Pattern ADDRESS = Pattern.compile("([a-z]+)://(.+)");
    private static final Pattern TCP = Pattern.compile("(\\[[^\\]]*\\]|[^:\\[\\]]*):([^:]*)");
    private static final List<String> TRANSPORTS = List.of("tcp", "ipc", "inproc");

    /** Parses one endpoint; throws {@link ZmqTapException} with a one-line reason when malformed. */
    public static Endpoint parse(String text) {
        if (text == null || text.isBlank()) {
            throw new BadValueException("empty endpoint: expected e.g. @tcp://*:4444 or >tcp://localhost:5555");
        }
        String s = text.strip();
        Boolean bind = null;
        if (s.startsWith("@")) {
            bind = true;
            s = s.substring(1);
        } else if (s.startsWith(">")) {
            bind = false;
            s = s.substring(1);
        }
        Matcher m = ADDRESS.matcher(s);
        if (!m.matches()) {
            throw bad(text, "expected transport://address, e.g. @tcp://*:4444");
        }
        String transport = m.group(1).toLowerCase(Locale.ROOT);
        if (!TRANSPORTS.contains(transport)) {
            throw bad(text, "unsupported transport '" + transport + "' (use tcp, ipc or inproc)");
        }
        String host = "";
        if (transport.equals("tcp")) {
            Matcher t = TCP.matcher(m.group(2));
            if (!t.matches()) {
                throw bad(text, "expected tcp://host:port");
            }
            host = t.group(1);
            checkPort(text, t.group(2));
            if (host.isEmpty()) {
                throw bad(text, "missing host (use * to bind on all interfaces)");
            }
        }
        boolean resolved = bind != null ? bind : host.equals("*");
        if (!resolved && host.equals("*")) {
            throw bad(text, "cannot connect to host * (did you mean @" + s + "?)");
        }
        return new Endpoint(resolved, s);
    }

    /** Parses a comma-separated list, e.g. {@code @tcp://*:4444,@ipc:///tmp/q}. */
    public static List<Endpoint> parseList(String text) {
        List<Endpoint> list = new ArrayList<>();
        for (String part : (text == null ? "" : text).split(",")) {
            list.add(parse(part));
        }
        return List.copyOf(list);
    }

    private static void checkPort(String text, String port) {
        if (port.equals("*") || port.equals("!")) {
            return; // JeroMQ: bind to an ephemeral port
        }
        try {
            int p = Integer.parseInt(port);
            if (p >= 0 && p <= 65535) {
                return;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw bad(text, "port '" + port + "' is not a number from 0 to 65535 or *");
    }

    private static ZmqTapException bad(String text, String why) {
        return new BadValueException("bad endpoint '" + text + "': " + why);
    }

    /** The endpoint written back with its explicit prefix, e.g. {@code @tcp://*:4444}. */
    @Override
    public String toString() {
        return (bind ? "@" : ">") + address;
    }
}
