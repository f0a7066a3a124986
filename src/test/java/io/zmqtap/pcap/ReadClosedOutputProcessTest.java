package io.zmqtap.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.testing.ChildProcess;
import io.zmqtap.testing.Head;
import io.zmqtap.testing.ZmtpBytes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code zmqtap read FILE | head}, as its own process: once the reader of its output is gone, read
 * stops with one line saying so and exits 1, instead of decoding the rest of the file for nobody
 * (a {@code PrintWriter} swallows the closed pipe; picocli had also swapped zmqtap's writer for one
 * over the old {@code System.out}, whose errors nobody saw).
 */
class ReadClosedOutputProcessTest {
    private static final int ROUNDS = 60_000;
    private static final long TIMEOUT_SECONDS = 60;

    @TempDir
    Path dir;

    @Test
    void readStopsInOneLineWhenItsOutputIsClosed() throws Exception {
        Path file = dir.resolve("reqrep.pcap");
        Files.write(file, reqRep(ROUNDS));
        Path err = dir.resolve("err.txt");
        Process read = new ProcessBuilder(ChildProcess.zmqtapCommand(List.of("-Xmx128m"), "read", file.toString(), "--color", "never"))
                .redirectError(err.toFile()).start();
        try {
            assertThat(Head.firstLine(read, Duration.ofSeconds(TIMEOUT_SECONDS))).as("the first line").contains("c1");
            assertThat(read.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("read ended within %d s", TIMEOUT_SECONDS).isTrue();
        } finally {
            read.destroyForcibly();
            read.waitFor(10, TimeUnit.SECONDS);
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(read.exitValue()).as(stderr).isEqualTo(1);
        assertThat(stderr.strip().lines().reduce((a, b) -> b).orElse(""))
                .matches("zmqtap: the output could not be written \\(.+\\): stopped reading " + Pattern.quote(file.toString()));
        assertThat(stderr).doesNotContain("Exception");
        Matcher messages = Pattern.compile("summary [^:]*:.* messages ([0-9]+),").matcher(stderr);
        assertThat(messages.find()).as(stderr).isTrue();
        assertThat(Long.parseLong(messages.group(1))).as("messages decoded before it stopped").isLessThan(ROUNDS);
    }

    /** One REQ/REP conversation over IPv4: greetings, READY, then {@code rounds} requests and replies. */
    private static byte[] reqRep(int rounds) {
        CaptureFiles.Pcap pcap = new CaptureFiles.Pcap(LinkType.RAW);
        long[] seq = {1000, 5000}; // client, server
        send(pcap, seq, true, new ZmtpBytes().greeting(1).ready("REQ", null).bytes());
        send(pcap, seq, false, new ZmtpBytes().greeting(1).ready("REP", null).bytes());
        for (int i = 0; i < rounds; i++) {
            send(pcap, seq, true, new ZmtpBytes().message("", "request " + i).bytes());
            send(pcap, seq, false, new ZmtpBytes().message("", "reply " + i).bytes());
        }
        return pcap.bytes();
    }

    private static void send(CaptureFiles.Pcap pcap, long[] seq, boolean fromClient, byte[] payload) {
        int from = fromClient ? 0 : 1;
        byte[] tcp = Packets.tcp(fromClient ? 40000 : 5555, fromClient ? 5555 : 40000, seq[from], seq[1 - from],
                Packets.PSH | Packets.ACK, new byte[0], payload);
        seq[from] += payload.length;
        pcap.packet(Packets.ipv4(fromClient ? Packets.CLIENT4 : Packets.SERVER4, fromClient ? Packets.SERVER4 : Packets.CLIENT4,
                6, new byte[0], 0, tcp));
    }
}
