package io.zmqtap.filter;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The right-hand side of a {@link Expr.Match}: text in quotes ({@code "weather"}, also a regular
 * expression after {@code ~}) or bytes in hex ({@code 0x00ff}, {@code 0x} for an empty frame).
 *
 * <p>Usage: {@code new Value.Hex("006b8b4567").bytes()}
 */
public sealed interface Value {
    /** The bytes an equality test compares a frame with. */
    byte[] bytes();

    /** Text, compared as its UTF-8 bytes. */
    record Text(String text) implements Value {
        public Text {
            Objects.requireNonNull(text);
        }

        @Override
        public byte[] bytes() {
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Bytes as lower-case hex digits, without {@code 0x}. */
    record Hex(String digits) implements Value {
        private static final Pattern HEX = Pattern.compile("([0-9a-f]{2})*");

        public Hex {
            digits = digits.toLowerCase(Locale.ROOT);
            if (!HEX.matcher(digits).matches()) {
                throw new IllegalArgumentException("expected an even number of hex digits: " + digits);
            }
        }

        @Override
        public byte[] bytes() {
            return HexFormat.of().parseHex(digits);
        }
    }
}
