package io.zmqtap.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The hexdump's layout: offset, sixteen bytes in two groups of eight, the ASCII gutter lined up. */
class HexDumpTest {
    private static byte[] counting(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }

    @Test
    void noBytesIsNoLines() {
        assertThat(HexDump.of(new byte[0])).isEmpty();
    }

    @Test
    void oneByte() {
        assertThat(HexDump.of(new byte[] {0x33}))
                .isEqualTo("0000  33                                                |3|\n");
    }

    @Test
    void fifteenSixteenAndSeventeenBytesFillOneLineThenStartTheNext() {
        assertThat(HexDump.of(counting(15))).isEqualTo(
                "0000  61 62 63 64 65 66 67 68  69 6a 6b 6c 6d 6e 6f     |abcdefghijklmno|\n");
        assertThat(HexDump.of(counting(16))).isEqualTo(
                "0000  61 62 63 64 65 66 67 68  69 6a 6b 6c 6d 6e 6f 70  |abcdefghijklmnop|\n");
        assertThat(HexDump.of(counting(17))).isEqualTo(
                "0000  61 62 63 64 65 66 67 68  69 6a 6b 6c 6d 6e 6f 70  |abcdefghijklmnop|\n"
                        + "0010  71                                                |q|\n");
    }

    @Test
    void everyLineHasItsGutterInTheSameColumn() {
        for (int n = 1; n <= 40; n++) {
            assertThat(HexDump.of(counting(n)).lines()).as(n + " bytes").allSatisfy(line -> assertThat(line.indexOf('|')).isEqualTo(56));
        }
    }

    @Test
    void binaryAndUtf8BytesAreDotsInTheGutter() {
        byte[] binary = {0x00, 0x6b, (byte) 0x8b, 0x45, 0x67, 0x7f, 0x1f, 0x20, (byte) 0xff};
        assertThat(HexDump.of(binary))
                .isEqualTo("0000  00 6b 8b 45 67 7f 1f 20  ff                       |.k.Eg.. .|\n");
        // é is c3 a9 and ✓ e2 9c 93: one dot per byte, as xxd and hexdump -C show them
        assertThat(HexDump.of("café ✓".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("0000  63 61 66 c3 a9 20 e2 9c  93                       |caf.. ...|\n");
    }

    @Test
    void aLengthCutsTheDumpAndIndentAndLineEndAreTheCallers() {
        StringBuilder b = new StringBuilder("head\r\n");
        HexDump.append(b, counting(100), 18, "  ", "\r\n");
        assertThat(b.toString()).isEqualTo("head\r\n"
                + "  0000  61 62 63 64 65 66 67 68  69 6a 6b 6c 6d 6e 6f 70  |abcdefghijklmnop|\r\n"
                + "  0010  71 72                                             |qr|\r\n");
        assertThat(HexDump.append(new StringBuilder(), counting(3), 99, "", "\n").toString())
                .as("a length past the end is the end").isEqualTo(HexDump.of(counting(3)));
    }

    @Test
    void offsetsPast64KiBHaveEightDigits() {
        String dump = HexDump.of(new byte[0x10000 + 1]);
        assertThat(dump.lines().findFirst().orElseThrow()).startsWith("00000000  00 00");
        assertThat(dump.lines().reduce((a, b) -> b).orElseThrow()).startsWith("00010000  00  ");
        assertThat(HexDump.of(new byte[0x10000]).lines().reduce((a, b) -> b).orElseThrow()).startsWith("fff0  00");
    }
}
