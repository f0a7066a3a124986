package io.zmqtap.zmtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.Frame;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Decodes bytes captured between real peers: libzmq 4.3.4 (python3-zmq) and JeroMQ 0.6.0, through
 * a recording TCP relay on loopback.
 */
class LibzmqWireTest {
    private Process python;

    @TempDir
    Path dir;

    @AfterEach
    void stopPython() {
        if (python != null) {
            python.destroyForcibly();
        }
    }

    @Test
    void libzmqReqWithIdentityGreets31AndSendsReadyWithIdentity() throws Exception {
        RecordingRelay relay = runPython("req");
        RecordingListener in = decode(relay.clientToServer());
        in.assertGreeting(3, 1, "NULL", false);
        ZmtpCommand.Ready ready = in.nextCommand(ZmtpCommand.Ready.class);
        assertThat(ready.socketType()).isEqualTo("REQ");
        assertThat(new String(ready.identity(), StandardCharsets.US_ASCII)).isEqualTo("client_id_abc");
        in.assertMessage("", "3").assertExhausted();

        RecordingListener out = decode(relay.serverToClient());
        out.assertGreeting(3, 1, "NULL", false);
        assertThat(out.nextCommand(ZmtpCommand.Ready.class).socketType()).isEqualTo("ROUTER");
        out.assertMessage("", "6").assertExhausted();
    }

    @Test
    void libzmqSubSendsSubscribeAndCancelCommands() throws Exception {
        RecordingRelay relay = runPython("sub");
        RecordingListener in = decode(relay.clientToServer());
        in.assertGreeting(3, 1, "NULL", false);
        assertThat(in.nextCommand(ZmtpCommand.Ready.class).socketType()).isEqualTo("SUB");
        in.assertCommand(new ZmtpCommand.Subscribe("weather".getBytes(), false))
                .assertCommand(new ZmtpCommand.Cancel("weather".getBytes(), false))
                .assertExhausted();

        RecordingListener out = decode(relay.serverToClient());
        out.assertGreeting(3, 1, "NULL", false);
        assertThat(out.nextCommand(ZmtpCommand.Ready.class).socketType()).isEqualTo("PUB");
        assertThat(out.events).isNotEmpty().allSatisfy(e -> assertThat(e).isEqualTo(List.of(Frame.of("weather 21C"))));
    }

    @Test
    void libzmqDealerSendsMultipartUnchanged() throws Exception {
        RecordingRelay relay = runPython("dealer");
        RecordingListener in = decode(relay.clientToServer());
        in.assertGreeting(3, 1, "NULL", false);
        ZmtpCommand.Ready ready = in.nextCommand(ZmtpCommand.Ready.class);
        assertThat(ready.socketType()).isEqualTo("DEALER");
        assertThat(ready.identity()).isNull();
        in.assertMessage("a", "b").assertExhausted();
        RecordingListener out = decode(relay.serverToClient());
        out.assertGreeting(3, 1, "NULL", false);
        assertThat(out.nextCommand(ZmtpCommand.Ready.class).socketType()).isEqualTo("ROUTER");
        out.assertMessage("c").assertExhausted();
    }

    @Test
    void libzmqCurveMessagesSentAsDataFramesAreCurveCommands() throws Exception {
        RecordingRelay relay = runPython("curve");
        // libzmq 4.3 boxes each frame on its own, as a data frame "\x07MESSAGE" + 8-byte nonce +
        // box (16-byte MAC, flags byte, payload): 26 bytes after the name for a 1-byte frame.
        ZmtpCommand.CurveCommand message = new ZmtpCommand.CurveCommand("MESSAGE", 8 + 16 + 1 + 1);
        RecordingListener in = decode(relay.clientToServer());
        in.assertGreeting(3, 1, "CURVE", false);
        assertThat(in.nextCommand(ZmtpCommand.CurveCommand.class).name()).isEqualTo("HELLO");
        assertThat(in.nextCommand(ZmtpCommand.CurveCommand.class).name()).isEqualTo("INITIATE");
        in.assertCommand(message).assertCommand(message).assertExhausted(); // "a", "b"

        RecordingListener out = decode(relay.serverToClient());
        out.assertGreeting(3, 1, "CURVE", false); // libzmq 4.3.4 leaves as-server 0 even on a CURVE server
        assertThat(out.nextCommand(ZmtpCommand.CurveCommand.class).name()).isEqualTo("WELCOME");
        assertThat(out.nextCommand(ZmtpCommand.CurveCommand.class).name()).isEqualTo("READY");
        out.assertCommand(message).assertExhausted(); // "c"
    }

    @Test
    void jeromqSubGreets30AndSubscribesWithADataFrame() throws Exception {
        try (ZContext ctx = new ZContext()) {
            ZMQ.Socket pub = ctx.createSocket(SocketType.PUB);
            int port = pub.bindToRandomPort("tcp://127.0.0.1");
            try (RecordingRelay relay = new RecordingRelay(port)) {
                ZMQ.Socket sub = ctx.createSocket(SocketType.SUB);
                sub.setReceiveTimeOut(100);
                sub.subscribe("weather".getBytes());
                sub.connect("tcp://127.0.0.1:" + relay.port());
                byte[] got = null;
                for (int i = 0; i < 100 && got == null; i++) { // PUB drops until the subscription arrives
                    pub.send("weather 21C");
                    got = sub.recv();
                }
                assertThat(got).isEqualTo("weather 21C".getBytes());
                sub.setLinger(1000);
                pub.setLinger(0);
                sub.close();
                pub.close();
                assertThat(relay.awaitClosed(10)).isTrue();

                RecordingListener in = decode(relay.clientToServer());
                in.assertGreeting(3, 0, "NULL", false);
                assertThat(in.nextCommand(ZmtpCommand.Ready.class).socketType()).isEqualTo("SUB");
                in.assertCommand(new ZmtpCommand.Subscribe("weather".getBytes(), true)).assertExhausted();
            }
        }
    }

    /** Decodes one direction whole and byte by byte (the two must agree) and checks it ended cleanly. */
    private static RecordingListener decode(byte[] bytes) {
        RecordingListener events = AbstractZmtpDecoderTest.decodeRaw(true, ZmtpDecoder.DEFAULT_MAX_FRAME, bytes);
        assertThat(events.all()).noneMatch(e -> e instanceof ProtocolError);
        return events;
    }

    private RecordingRelay runPython(String mode) throws Exception {
        Path script = dir.resolve("peers.py");
        try (InputStream in = getClass().getResourceAsStream("peers.py")) {
            Files.copy(in, script);
        }
        python = new ProcessBuilder("/usr/bin/python3", script.toString(), mode)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
        String portLine = readLine(out);
        assertThat(portLine).startsWith("PORT ");
        RecordingRelay relay = new RecordingRelay(Integer.parseInt(portLine.substring(5).trim()));
        try {
            Writer toPython = new OutputStreamWriter(python.getOutputStream(), StandardCharsets.UTF_8);
            toPython.write("RELAY " + relay.port() + "\n");
            toPython.flush();
            assertThat(readLine(out)).isEqualTo("DONE");
            assertThat(python.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(python.exitValue()).isZero();
            assertThat(relay.awaitClosed(10)).as("both directions closed").isTrue();
        } finally {
            relay.close();
        }
        return relay;
    }

    /** Reads one line with a timeout, so a stuck python process fails the test instead of hanging it. */
    private static String readLine(BufferedReader reader) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return reader.readLine();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).get(15, TimeUnit.SECONDS);
    }
}
