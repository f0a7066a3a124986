package io.zmqtap.interop;

import static io.zmqtap.interop.Peers.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.sink.PythonBytes;
import io.zmqtap.testing.PythonRepr;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** zmqtap's {@code watch --raw} output format against Python's own {@code repr} of bytes. */
class PythonBytesInteropTest {
    private final Peers peers = new Peers();

    @AfterEach
    void stop() {
        peers.close();
    }

    @Test
    void pythonBytesListMatchesPythonsReprForEveryByteAndEveryQuoting() {
        byte[] everyByte = new byte[256];
        for (int i = 0; i < 256; i++) {
            everyByte[i] = (byte) i;
        }
        List<byte[]> frames = new ArrayList<>(List.of(everyByte, new byte[0]));
        for (String s : List.of("'", "\"", "'\"", "it's", "say \"hi\"", "\\", "client_id_abc")) {
            frames.add(s.getBytes(StandardCharsets.US_ASCII));
        }
        String[] hex = frames.stream().map(f -> f.length == 0 ? "" : HexFormat.of().formatHex(f)).toArray(String[]::new);

        String python = peers.start("reprs", hex).nextLine(TIMEOUT);

        assertThat(PythonBytes.list(frames)).isEqualTo(python);
        assertThat(PythonRepr.bytesList(python)).containsExactlyElementsOf(frames);
    }
}
