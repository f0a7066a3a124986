package io.zmqtap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zmqtap.security.Certificates;
import io.zmqtap.testing.ChildProcess;
import io.zmqtap.testing.CommandRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code zmqtap tap --decrypt SERVER_SECRET_CERT --cert CLIENT_SECRET_CERT} with libzmq CURVE peers (pyzmq). */
class TapDecryptCommandTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** A CURVE REP server whose ZAP allows argv[2]'s certificates, and a REQ client that pinned the server's key. */
    private static final String PEERS = """
            import sys, zmq, zmq.auth
            from zmq.auth.thread import ThreadAuthenticator
            ctx = zmq.Context()
            public, secret = zmq.auth.load_certificate(sys.argv[1])
            auth = ThreadAuthenticator(ctx)
            auth.start()
            auth.configure_curve(domain="*", location=sys.argv[2])
            rep = ctx.socket(zmq.REP)
            rep.linger = 0
            rep.rcvtimeo = 10000
            rep.curve_server = 1
            rep.curve_publickey = public
            rep.curve_secretkey = secret
            print(rep.bind_to_random_port("tcp://127.0.0.1"))
            req = ctx.socket(zmq.REQ)
            req.linger = 0
            req.rcvtimeo = 10000
            req.curve_serverkey = public
            client_public, client_secret = zmq.curve_keypair()
            req.curve_publickey = client_public
            req.curve_secretkey = client_secret
            print(client_public.decode())
            req.connect(sys.stdin.readline().strip())
            req.send(b"launch code 1234")
            rep.send(rep.recv() + b" accepted")
            print(req.recv().decode())
            req.close()
            sys.stdin.readline()
            """;

    @TempDir
    Path keys;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void withJsonTheDecryptedConversationAndTheClientsKeyAreShown() throws Exception {
        List<JsonNode> lines = runThroughTap("--json");
        JsonNode handshake = lines.stream().filter(l -> l.get("type").asText().equals("handshake")
                && l.get("dir").asText().equals("in")).findFirst().orElseThrow();
        assertThat(handshake.get("mechanism").asText()).isEqualTo("CURVE");
        assertThat(handshake.get("socket_type").asText()).isEqualTo("REQ");
        assertThat(handshake.get("properties").get("CURVE key").toString()).contains(clientKey);
        assertThat(handshake.get("properties").get("decrypted by").toString()).contains("zmqtap tap");
        List<JsonNode> messages = lines.stream().filter(l -> l.get("type").asText().equals("message")).toList();
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).get("frames").toString()).contains("launch code 1234");
        assertThat(messages.get(1).get("frames").toString()).contains("launch code 1234 accepted");
        assertThat(messages.get(1).get("reply_to").asLong()).isEqualTo(messages.get(0).get("seq").asLong());
        assertThat(messages.get(1).has("latency_us")).isTrue();
    }

    @Test
    void redactMasksTheDecryptedPayloads() throws Exception {
        List<JsonNode> lines = runThroughTap("--json", "--redact");
        List<JsonNode> messages = lines.stream().filter(l -> l.get("type").asText().equals("message")).toList();
        assertThat(messages).hasSize(2);
        assertThat(lines.toString()).doesNotContain("launch code");
        assertThat(messages.get(0).get("size").asLong()).isEqualTo(16);
    }

    @Test
    void certWithoutDecryptIsOneLine() {
        try (CommandRun tap = CommandRun.start("tap", "--listen", "tcp://127.0.0.1:0", "--upstream",
                "tcp://127.0.0.1:5555", "--cert", "tap_secret")) {
            assertThat(tap.awaitExit(TIMEOUT)).isEqualTo(2);
            assertThat(tap.err()).isEqualTo("zmqtap: --cert goes with --decrypt (the client certificate the tap "
                    + "shows the server)\n");
        }
    }

    @Test
    void aServerSecretOthersCanReadIsRefused() throws Exception {
        Certificates.Pair server = Certificates.generate(keys, "server");
        Files.setPosixFilePermissions(server.secretFile(), PosixFilePermissions.fromString("rw-r--r--"));
        try (CommandRun tap = CommandRun.start("tap", "--listen", "tcp://127.0.0.1:0", "--upstream",
                "tcp://127.0.0.1:5555", "--decrypt", server.secretFile().toString())) {
            assertThat(tap.awaitExit(TIMEOUT)).isEqualTo(2);
            assertThat(tap.err()).isEqualTo("zmqtap: secret certificate " + server.secretFile()
                    + " is readable by others (mode 0644): chmod 600 " + server.secretFile() + "\n");
        }
    }

    private String clientKey;

    /** Runs the peers through {@code zmqtap tap --decrypt ... --cert ... OPTIONS}; its stdout lines as JSON once the client is done. */
    private List<JsonNode> runThroughTap(String... options) throws Exception {
        Certificates.Pair server = Certificates.generate(keys.resolve("server"), "server.key");
        Certificates.Pair tapCert = Certificates.generate(keys.resolve("tap"), "tap.key");
        Path allowed = Files.createDirectories(keys.resolve("allowed"));
        Files.copy(tapCert.publicFile(), allowed.resolve("tap.key"));
        try (ChildProcess peers = ChildProcess.python("CURVE peers", PEERS,
                List.of(server.secretFile().toString(), allowed.toString()))) {
            String port = peers.nextLine(TIMEOUT);
            clientKey = peers.nextLine(TIMEOUT);
            List<String> args = new ArrayList<>(List.of("tap", "--listen", "tcp://127.0.0.1:0", "--upstream",
                    "tcp://127.0.0.1:" + port, "--decrypt", server.secretFile().toString(),
                    "--cert", tapCert.secretFile().toString()));
            args.addAll(List.of(options));
            try (CommandRun tap = CommandRun.start(args.toArray(String[]::new))) {
                Pattern banner = Pattern.compile("(?s)zmqtap tap: listening on (tcp://127\\.0\\.0\\.1:\\d+),.*");
                Awaitility.await().atMost(TIMEOUT).until(() -> banner.matcher(tap.err()).matches());
                Matcher m = banner.matcher(tap.err());
                assertThat(m.matches()).isTrue();
                assertThat(tap.err()).contains("decrypting CURVE: to clients the tap is the server "
                        + Certificates.loadPublic(server.publicFile()).getPublicKeyAsZ85()
                        + "; to the server it is the client " + Certificates.loadPublic(tapCert.publicFile()).getPublicKeyAsZ85());
                peers.send(m.group(1));
                assertThat(peers.nextLine(TIMEOUT)).isEqualTo("launch code 1234 accepted");
                Awaitility.await().atMost(TIMEOUT).until(() -> tap.out().contains("\"event\":\"close\""));
                peers.send("bye");
                List<JsonNode> lines = new ArrayList<>();
                for (String line : tap.outLines()) {
                    lines.add(json.readTree(line));
                }
                return lines;
            }
        }
    }
}
