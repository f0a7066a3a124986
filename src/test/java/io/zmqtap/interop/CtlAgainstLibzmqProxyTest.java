package io.zmqtap.interop;

import static io.zmqtap.interop.Peers.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.cli.ZmqTap;
import io.zmqtap.endpoint.Endpoint;
import io.zmqtap.endpoint.Sockets;
import io.zmqtap.testing.ChildProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import picocli.CommandLine;

/**
 * {@code zmqtap ctl} steers libzmq 4.3.4's {@code zmq_proxy_steerable} (pyzmq's
 * {@code zmq.proxy_steerable}) with a REP control socket, whose rules differ from zmqtap's: it
 * replies to STATISTICS only, and aborts its process on a command it does not know.
 */
class CtlAgainstLibzmqProxyTest {
    private final Peers peers = new Peers();
    private final ZContext context = new ZContext(1);

    @AfterEach
    void stop() {
        context.close();
        peers.close();
    }

    /** Output of one {@code zmqtap ctl} run in this JVM. */
    private record Ctl(int exit, String out, String err) {}

    private static Ctl ctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = ZmqTap.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] argv = new String[args.length + 1];
        argv[0] = "ctl";
        System.arraycopy(args, 0, argv, 1, args.length);
        int exit = cl.execute(argv);
        return new Ctl(exit, out.toString(), err.toString());
    }

    /** libzmq's proxy with a doubling server behind it; returns {frontend, control} in connect form. */
    private record Proxy(ChildProcess peer, String frontend, String control) {}

    private Proxy proxy(String controlType) {
        ChildProcess peer = peers.start("steerable", controlType);
        String[] words = peer.nextLine(TIMEOUT).split(" ");
        assertThat(words).as("steerable's endpoints").hasSize(4).startsWith("endpoints");
        peer.awaitLine("ready", TIMEOUT);
        peers.ready("server", ">" + words[2]);
        return new Proxy(peer, words[1], words[3]);
    }

    private ZMQ.Socket client(Proxy proxy) {
        ZMQ.Socket req = context.createSocket(SocketType.REQ);
        req.setLinger(0);
        req.setReceiveTimeOut((int) TIMEOUT.toMillis());
        Sockets.attach(req, List.of(new Endpoint(false, proxy.frontend())), "client");
        return req;
    }

    /** The reply to {@code request}, or null if none comes within {@code millis}. */
    private static String ask(ZMQ.Socket req, String request, int millis) {
        req.setReceiveTimeOut(millis);
        req.send(request);
        return req.recvStr();
    }

    @Test
    void statsPrintsTheCountersOfLibzmqsProxy() {
        Proxy proxy = proxy("REP");
        assertThat(ask(client(proxy), "3", (int) TIMEOUT.toMillis())).isEqualTo("6");

        Ctl stats = ctl(proxy.control(), "stats");

        assertThat(stats.exit()).as(stats.err()).isZero();
        // libzmq counts a multipart message once: [id(5), "", "3"] in, [id, "", "6"] out, 6 bytes each
        assertThat(stats.out().split("\\R")).containsExactly(
                "frontend  msgs in 1  bytes in 6  msgs out 1  bytes out 6",
                "backend   msgs in 1  bytes in 6  msgs out 1  bytes out 6");
    }

    @Test
    void statsJsonIsRefusedWithoutSendingItAndTheProxyLivesOn() {
        Proxy proxy = proxy("REP");

        Ctl refused = ctl(proxy.control(), "stats-json");

        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo("zmqtap: " + proxy.control() + " is not zmqtap's control socket (its"
                + " reply lacks the routing id zmqtap-control): stats-json is zmqtap's own command, and libzmq's"
                + " zmq_proxy_steerable aborts on commands it does not know; use stats" + System.lineSeparator());
        // had STATISTICS JSON reached it, libzmq would have asserted and the process would be gone
        assertThat(ask(client(proxy), "4", (int) TIMEOUT.toMillis())).isEqualTo("8");
        assertThat(proxy.peer().stderr()).doesNotContain("invalid command", "Assertion");
        assertThat(ctl(proxy.control(), "stats").exit()).as("the control socket still answers").isZero();
    }

    @Test
    void pauseSucceedsWithANoteAndTrafficStops() {
        Proxy proxy = proxy("REP");
        ZMQ.Socket req = client(proxy);
        assertThat(ask(req, "1", (int) TIMEOUT.toMillis())).isEqualTo("2");

        Ctl pause = ctl(proxy.control(), "pause");

        assertThat(pause.exit()).as(pause.err()).isZero();
        assertThat(pause.out()).isEqualTo("ok: PAUSE" + System.lineSeparator());
        assertThat(pause.err()).isEqualTo("zmqtap ctl: note: libzmq 4.3.4's zmq_proxy_steerable does not acknowledge"
                + " PAUSE, and its REP control socket then stops answering: further commands to it will time out"
                + System.lineSeparator());
        assertThat(ask(req, "2", 500)).as("a reply while paused").isNull();
        // as the note says: the REP control socket waits to send a reply it will never be given
        Ctl stats = ctl(proxy.control(), "stats", "--timeout", "500ms");
        assertThat(stats.exit()).isEqualTo(1);
        assertThat(stats.err()).contains("although it took the connection");
    }

    @Test
    void terminateSucceedsAndTheProxyReturns() {
        Proxy proxy = proxy("REP");

        Ctl terminate = ctl(proxy.control(), "terminate", "--json");

        assertThat(terminate.exit()).as(terminate.err()).isZero();
        assertThat(terminate.out()).startsWith("{\"ok\":true,\"command\":\"TERMINATE\",\"acknowledged\":false,");
        proxy.peer().awaitLine("proxy returned", TIMEOUT);
        assertThat(proxy.peer().awaitExit(TIMEOUT)).isZero();
    }

    @Test
    void overAPairControlSocketStatsAndTerminateWork() {
        Proxy proxy = proxy("PAIR");
        assertThat(ask(client(proxy), "5", (int) TIMEOUT.toMillis())).isEqualTo("10");

        Ctl stats = ctl("--type", "pair", proxy.control(), "stats");
        assertThat(stats.exit()).as(stats.err()).isZero();
        assertThat(stats.out()).startsWith("frontend  msgs in 1  bytes in 6");

        Ctl terminate = ctl("--type", "pair", proxy.control(), "terminate");
        assertThat(terminate.exit()).as(terminate.err()).isZero();
        assertThat(terminate.err()).as("PAIR control sockets never acknowledge: nothing to note").isEmpty();
        proxy.peer().awaitLine("proxy returned", TIMEOUT);
        assertThat(proxy.peer().awaitExit(TIMEOUT)).isZero();
    }
}
