package io.zmqtap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.security.Certificates;
import io.zmqtap.testing.ChildProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.ZCert;

/** {@code zmqtap keygen}: CZMQ certificates that pyzmq (libzmq 4.3) reads, and pyzmq's that zmqtap reads. */
class KeygenCommandTest {
    @TempDir
    Path dir;

    @Test
    void keygenWritesAPairPyzmqLoads() throws Exception {
        CliTest.Result r = CliTest.run("keygen", "server", "--dir", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        String key = r.out().strip();
        assertThat(key).hasSize(40);
        Path secret = dir.resolve("server_secret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
        assertThat(Files.readString(dir.resolve("server"))).contains("created-by = \"zmqtap\"")
                .doesNotContain("secret-key");

        String script = "import sys, zmq.auth\n"
                + "p, s = zmq.auth.load_certificate(sys.argv[1])\n"
                + "print(p.decode(), s)\n"
                + "p2, s2 = zmq.auth.load_certificate(sys.argv[2])\n"
                + "print(p2.decode(), len(s2), zmq.curve_public(s2).decode())\n";
        try (ChildProcess py = ChildProcess.python("load_certificate", script,
                List.of(dir.resolve("server").toString(), secret.toString()))) {
            assertThat(py.nextLine(Duration.ofSeconds(20))).isEqualTo(key + " None");
            // the secret key really belongs to the public one: libzmq derives the same public key
            assertThat(py.nextLine(Duration.ofSeconds(20))).isEqualTo(key + " 40 " + key);
        }
        ZCert back = Certificates.loadSecret(secret);
        assertThat(back.getPublicKeyAsZ85()).isEqualTo(key);
    }

    @Test
    void pyzmqCertificatesLoadInZmqtap() throws Exception {
        String script = "import sys, zmq.auth\n"
                + "p, s = zmq.auth.create_certificates(sys.argv[1], 'client')\n"
                + "print(zmq.auth.load_certificate(s)[0].decode())\n";
        String key;
        try (ChildProcess py = ChildProcess.python("create_certificates", script, List.of(dir.toString()))) {
            key = py.nextLine(Duration.ofSeconds(20));
        }
        // pyzmq names them client.key and client.key_secret, CZMQ's layout otherwise
        Path secret = dir.resolve("client.key_secret");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        assertThat(Certificates.loadSecret(secret).getPublicKeyAsZ85()).isEqualTo(key);
        assertThat(Certificates.loadPublic(dir.resolve("client.key")).getPublicKeyAsZ85()).isEqualTo(key);
    }

    @Test
    void aSecretReadableByOthersIsRefusedSayingHowToFixIt() throws Exception {
        assertThat(CliTest.run("keygen", "c", "--dir", dir.toString()).exit()).isZero();
        Path secret = dir.resolve("c_secret");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
        CliTest.Result r = CliTest.run("queue", "--in", "@tcp://127.0.0.1:*", "--out", ">tcp://127.0.0.1:1",
                "--in-curve", secret.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("zmqtap: secret certificate " + secret + " is readable by others (mode 0644): "
                + "chmod 600 " + secret + System.lineSeparator());
    }

    @Test
    void missingGarbledAndWrongKindOfFilesAreOneLine() throws Exception {
        Path missing = dir.resolve("nope");
        assertThat(CliTest.run("watch", "tcp://127.0.0.1:1", "--curve", missing.toString(), "--cert",
                missing.toString()).err()).isEqualTo("zmqtap: no public certificate " + missing + " (no such file)"
                + System.lineSeparator());
        Path garbled = dir.resolve("garbled");
        Files.writeString(garbled, "curve\n    public-key = \"tooshort\"\n");
        assertThat(CliTest.run("watch", "tcp://127.0.0.1:1", "--curve", garbled.toString(), "--cert",
                garbled.toString()).err()).contains("has a garbled curve/public-key").doesNotContain("\tat ");
        assertThat(CliTest.run("keygen", "s", "--dir", dir.toString()).exit()).isZero();
        CliTest.Result r = CliTest.run("watch", "tcp://127.0.0.1:1", "--curve", dir.resolve("s").toString(),
                "--cert", dir.resolve("s").toString());
        assertThat(r.err()).contains("is a public certificate, not a secret one");
        assertThat(CliTest.run("keygen", "s", "--dir", dir.toString()).err()).contains("exists already");
    }
}
