package io.zmqtap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void aBigFileOnATerminalGetsABarRedrawnInPlaceThenErased() throws IOException {
        StringWriter err = new StringWriter();
        AtomicLong nanos = new AtomicLong();
        long total = 16L << 20;
        Progress p = new Progress(new PrintWriter(err), total, true, nanos::get);
        InputStream in = p.count(new ByteArrayInputStream(new byte[(int) total]), "big.zcap");
        byte[] buf = new byte[4 << 20];
        in.readNBytes(buf, 0, buf.length);
        assertThat(err.toString()).as("nothing before 200 ms").isEmpty();
        nanos.addAndGet(1_000_000_000L);
        in.readNBytes(buf, 0, buf.length);
        String bar = "reading big.zcap  [##########..........]   50%  8.0 MiB / 16.0 MiB  8.0 MiB/s";
        assertThat(err.toString()).isEqualTo("\r" + bar);
        p.done();
        assertThat(err.toString()).endsWith("\r" + " ".repeat(bar.length()) + "\r");
    }

    @Test
    void noBarForSmallFilesOrWhenNotATerminal() throws IOException {
        StringWriter err = new StringWriter();
        AtomicLong nanos = new AtomicLong();
        Progress small = new Progress(new PrintWriter(err), 1 << 20, true, nanos::get);
        Progress piped = new Progress(new PrintWriter(err), 64L << 20, false, nanos::get);
        nanos.addAndGet(1_000_000_000L);
        small.count(new ByteArrayInputStream(new byte[1 << 20]), "a").readAllBytes();
        piped.count(new ByteArrayInputStream(new byte[1 << 20]), "b").readAllBytes();
        small.done();
        piped.done();
        assertThat(err.toString()).isEmpty();
    }
}
