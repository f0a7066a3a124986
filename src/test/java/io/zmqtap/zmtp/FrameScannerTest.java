package io.zmqtap.zmtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zmqtap.zmtp.FrameScanner.WireProtocolException;
import io.zmqtap.testing.Hex;
import io.zmqtap.zmtp.ZmtpEncoder;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The wire engine's message finder, fed hex fixtures. A ZMTP 3 frame is
 * {@code flags(1) size(1 | 8, LONG) body}; flags are MORE 0x01, LONG 0x02, COMMAND 0x04.
 */
class FrameScannerTest {
    private static final long LIMIT = 1 << 20;

    private final FrameScanner scanner = new FrameScanner(LIMIT);

    @Test
    void oneShortFrameIsAMessage() throws Exception {
        ByteBuffer b = buffer("00 03 616263"); // "abc", last frame
        assertThat(scanner.scan(b, 0, b.limit())).isTrue();
        assertThat(scanner.start()).isZero();
        assertThat(scanner.end()).isEqualTo(5);
        assertThat(scanner.frames()).isEqualTo(1);
        assertThat(scanner.bytes()).isEqualTo(3);
        assertThat(scanner.command()).isFalse();
        assertThat(scanner.secondFrame()).isEqualTo(5);
    }

    @Test
    void anEmptyFrameIsAMessageToo() throws Exception {
        ByteBuffer b = buffer("00 00");
        assertThat(scanner.scan(b, 0, b.limit())).isTrue();
        assertThat(scanner.end()).isEqualTo(2);
        assertThat(scanner.bytes()).isZero();
    }

    @Test
    void aLongFrameHasAnEightByteSize() throws Exception {
        ByteBuffer b = buffer("02 0000000000000100", "61".repeat(256)); // LONG, 256 bytes of 'a'
        assertThat(scanner.scan(b, 0, b.limit())).isTrue();
        assertThat(scanner.end()).isEqualTo(9 + 256);
        assertThat(scanner.frames()).isEqualTo(1);
        assertThat(scanner.bytes()).isEqualTo(256);
        assertThat(FrameScanner.bodyAt(b, 0)).isEqualTo(9);
        assertThat(FrameScanner.sizeAt(b, 0)).isEqualTo(256);
        assertThat(b.get(0) & ZmtpEncoder.MORE).as("MORE flag").isZero();
    }

    @Test
    void aMultipartMessageEndsAtTheFrameWithoutMore() throws Exception {
        ByteBuffer b = buffer(
                "01 05 0000000001", // MORE, routing id
                "01 00", //            MORE, empty delimiter
                "00 01 33", //         last: "3"
                "00 01 34"); //        the next message
        assertThat(scanner.scan(b, 0, b.limit())).isTrue();
        assertThat(scanner.end()).isEqualTo(7 + 2 + 3);
        assertThat(scanner.frames()).isEqualTo(3);
        assertThat(scanner.bytes()).isEqualTo(6);
        assertThat(scanner.secondFrame()).isEqualTo(7);
        assertThat(b.get(0) & ZmtpEncoder.MORE).as("MORE flag").isNotZero();
        assertThat(FrameScanner.bodyAt(b, 0)).isEqualTo(2);
        assertThat(FrameScanner.sizeAt(b, 0)).isEqualTo(5);

        assertThat(scanner.scan(b, scanner.end(), b.limit())).isTrue();
        assertThat(scanner.start()).isEqualTo(12);
        assertThat(scanner.end()).isEqualTo(15);
        assertThat(scanner.frames()).isEqualTo(1);
    }

    @Test
    void aCommandFrameIsFoundAloneAndNotTakenForAMessage() throws Exception {
        ByteBuffer b = buffer(
                "04 0b 0450494e47 0000 61626364", // COMMAND: PING, ttl 0, context "abcd"
                "00 01 33"); //                      a message after it
        assertThat(scanner.scan(b, 0, b.limit())).isTrue();
        assertThat(scanner.command()).isTrue();
        assertThat(scanner.end()).isEqualTo(13);
        assertThat(scanner.frames()).isEqualTo(1);

        assertThat(scanner.scan(b, scanner.end(), b.limit())).isTrue();
        assertThat(scanner.command()).isFalse();
        assertThat(scanner.end()).isEqualTo(16);
    }

    @Test
    void aLongCommandFrameIsACommand() throws Exception {
        ByteBuffer b = buffer("06 0000000000000106 055245414459", "00".repeat(256)); // COMMAND|LONG: READY + 256
        assertThat(scanner.scan(b, 0, b.limit())).isTrue();
        assertThat(scanner.command()).isTrue();
        assertThat(scanner.end()).isEqualTo(9 + 262);
    }

    @Test
    void inputCutAnywhereSaysHowManyBytesTheUnitNeeds() throws Exception {
        // Frames: short MORE (5 bytes), long MORE (300 bytes), short last (1 byte), after 3 bytes of
        // something already handled, which the scan starts after.
        byte[] unit = Hex.bytes(
                "01 05 6964303031", //                  0: header 2, body 5       -> ends at 7
                "03 000000000000012c", "62".repeat(300), // 7: header 9, body 300 -> ends at 316
                "00 01 63"); //                         316: header 2, body 1     -> ends at 319
        // Where each step of the scan can complete: a short header's first 2 bytes, a long
        // header's 9, each frame's end.
        List<Integer> checkpoints = List.of(2, 7, 9, 16, 316, 318, 319);
        int from = 3;
        byte[] all = concat(Hex.bytes("aa bb cc"), unit);
        for (int cut = 0; cut < unit.length; cut++) {
            ByteBuffer b = ByteBuffer.wrap(all);
            assertThat(scanner.scan(b, from, from + cut)).as("complete at cut %d", cut).isFalse();
            int c = cut;
            int expected = checkpoints.stream().filter(p -> p > c).findFirst().orElseThrow();
            assertThat(scanner.needed()).as("needed at cut %d", cut).isEqualTo(expected);
        }
        ByteBuffer b = ByteBuffer.wrap(all);
        assertThat(scanner.scan(b, from, from + unit.length)).isTrue();
        assertThat(scanner.start()).isEqualTo(from);
        assertThat(scanner.end()).isEqualTo(from + unit.length);
        assertThat(scanner.frames()).isEqualTo(3);
        assertThat(scanner.bytes()).isEqualTo(306);
        assertThat(scanner.secondFrame()).isEqualTo(from + 7);
    }

    @Test
    void aScanAfterAnIncompleteOneStartsAfresh() throws Exception {
        ByteBuffer partial = buffer("01 01 61 00"); // a second frame whose size has not come yet
        assertThat(scanner.scan(partial, 0, partial.limit())).isFalse();
        assertThat(scanner.needed()).isEqualTo(5);
        ByteBuffer whole = buffer("01 01 61 00 01 62");
        assertThat(scanner.scan(whole, 0, whole.limit())).isTrue();
        assertThat(scanner.frames()).isEqualTo(2);
        assertThat(scanner.bytes()).isEqualTo(2);
    }

    @Test
    void unknownFlagBitsAreRefused() {
        assertRefused("08 01 61", "bad frame flags 0x08");
        assertRefused("80 01 61", "bad frame flags 0x80");
        assertRefused("01 01 61 10 00", "bad frame flags 0x10"); // in the second frame
    }

    @Test
    void aCommandInsideAMultipartMessageIsRefused() {
        assertRefused("01 01 61 04 05 0450494e47", "a command frame inside a multipart message");
    }

    @Test
    void aMessageLargerThanTheLimitIsRefusedFromItsHeaderAlone() {
        FrameScanner small = new FrameScanner(10);
        assertRefused(small, "00 0b", "a message larger than the 10-byte limit (11 bytes)");
        assertRefused(small, "02 0000000000000400", "a message larger than the 10-byte limit (1024 bytes)");
        // over several frames: 6 + 5 bytes
        assertRefused(small, "01 06 616263646566 00 05", "a message larger than the 10-byte limit (11 bytes)");
    }

    @Test
    void aMessageExactlyAtTheLimitIsTaken() throws Exception {
        FrameScanner small = new FrameScanner(10);
        ByteBuffer b = buffer("01 06 616263646566 00 04 61626364");
        assertThat(small.scan(b, 0, b.limit())).isTrue();
        assertThat(small.bytes()).isEqualTo(10);
    }

    @Test
    void aNegativeLongSizeIsRefused() {
        assertRefused("02 8000000000000000", "a message larger than the 1048576-byte limit (size 9223372036854775808)");
        assertRefused("02 ffffffffffffffff", "a message larger than the 1048576-byte limit (size 18446744073709551615)");
    }

    @Test
    void aHugeSizeAfterAFirstFrameDoesNotWrapPastTheLimit() {
        // 1 byte already counted + 2^63 - 1 overflows a long: the check must not be fooled by the sum.
        assertRefused("01 01 61 02 7fffffffffffffff",
                "a message larger than the 1048576-byte limit (size 9223372036854775807)");
    }

    private void assertRefused(String hex, String message) {
        assertRefused(scanner, hex, message);
    }

    private static void assertRefused(FrameScanner s, String hex, String message) {
        ByteBuffer b = buffer(hex);
        assertThatThrownBy(() -> s.scan(b, 0, b.limit()))
                .isInstanceOf(WireProtocolException.class)
                .hasMessage(message);
    }

    private static ByteBuffer buffer(String... hex) {
        return ByteBuffer.wrap(Hex.bytes(hex));
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
