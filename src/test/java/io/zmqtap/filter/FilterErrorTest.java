package io.zmqtap.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/** Every error the parser gives: the column, what was expected there, and what was found. */
class FilterErrorTest {
    private static final String TESTS = "a test (dir, identity, size, frames, frame[N], payload, topic, source, seq, "
            + "latency, type, cmd, ping or conn), 'not' or '('";

    private static FilterException error(String filter) {
        FilterException e = catchThrowableOfType(FilterException.class, () -> Filter.parse(filter));
        assertThat(e).as("'" + filter + "' is refused").isNotNull();
        return e;
    }

    private static void assertError(String filter, String message) {
        assertThat(error(filter).getMessage()).isEqualTo(message);
    }

    @Test
    void theMessageNamesTheColumnAndTheCaretPointsAtIt() {
        FilterException e = error("dir out and size >");
        assertThat(e.column()).isEqualTo(19);
        assertThat(e.problem()).isEqualTo("expected a size such as 100 or 1KiB after '>', found end of input");
        assertThat(e.getMessage()).isEqualTo("column 19: " + e.problem());
        assertThat(e.input()).isEqualTo("dir out and size >");
        assertThat(e.caret("  ")).isEqualTo("  dir out and size >\n                    ^");
        assertThat(error("dir\tfoo").caret("")).isEqualTo("dir foo\n    ^");
    }

    @Test
    void whereATestShouldStart() {
        assertError("", "column 1: expected " + TESTS + ", found end of input");
        assertError("   ", "column 4: expected " + TESTS + ", found end of input");
        assertError("sise > 3", "column 1: expected " + TESTS + ", found 'sise'");
        assertError("dir in and", "column 11: expected " + TESTS + ", found end of input");
        assertError("not > 3", "column 5: expected " + TESTS + ", found '>'");
        assertError("ping and \"x\"", "column 10: expected " + TESTS + ", found \"x\"");
        assertError("ping or 3", "column 9: expected " + TESTS + ", found 3");
        assertError("ping && ping", "column 6: expected 'and', 'or' or end of input, found '&'");
        assertError("ping ping", "column 6: expected 'and', 'or' or end of input, found 'ping'");
        assertError("ping)", "column 5: expected 'and', 'or' or end of input, found ')'");
    }

    @Test
    void parentheses() {
        assertError("(ping", "column 6: expected 'and', 'or' or ')' to close the '(' at column 1, found end of input");
        assertError("ping and ((ping) ping", "column 18: expected 'and', 'or' or ')' to close the '(' at column 10, "
                + "found 'ping'");
        assertError("()", "column 2: expected " + TESTS + ", found ')'");
    }

    @Test
    void afterAField() {
        assertError("dir sideways", "column 5: expected in or out after 'dir', found 'sideways'");
        assertError("dir", "column 4: expected in or out after 'dir', found end of input");
        assertError("frame 0 == \"x\"", "column 7: expected '[' after 'frame', as in frame[0], found 0");
        assertError("frame[x] == \"x\"", "column 7: expected a frame index such as 0, or -1 for the last frame, found 'x'");
        assertError("frame[99999999999] == \"x\"",
                "column 7: expected a frame index such as 0, or -1 for the last frame, found 99999999999");
        assertError("frame[0 == \"x\"", "column 9: expected ']' after the frame index, found '=='");
        assertError("identity = \"a\"", "column 10: expected ==, !=, ~ or !~ after 'identity', found '='");
        assertError("frame[2] > 3", "column 10: expected ==, !=, ~ or !~ after 'frame[2]', found '>'");
        assertError("size ~ \"1\"", "column 6: expected ==, !=, <, <=, > or >= after 'size', found '~'");
        assertError("latency", "column 8: expected ==, !=, <, <=, > or >= after 'latency', found end of input");
    }

    @Test
    void values() {
        assertError("payload == weather",
                "column 12: expected a string such as \"text\" or bytes such as 0x00ff after '==', found 'weather'");
        assertError("identity != 42", "column 13: expected a string such as \"text\" or bytes such as 0x00ff after '!=', "
                + "found 42");
        assertError("frame[0] == 0xabc", "column 13: expected bytes as an even number of hex digits, such as 0x00ff, "
                + "found 0xabc");
        assertError("frame[0] == 0xzz", "column 13: expected bytes as an even number of hex digits, such as 0x00ff, "
                + "found 0xzz");
        assertError("payload ~ 0x00", "column 11: expected a regular expression in quotes after '~', found 0x00");
        assertError("payload !~ abc", "column 12: expected a regular expression in quotes after '!~', found 'abc'");
        assertError("source == 0x00", "column 11: expected a string in quotes after '==', found 0x00");
        assertError("size > 5ms", "column 8: expected a size such as 100 or 1KiB after '>', found 5ms");
        assertError("size > -1", "column 8: expected a size such as 100 or 1KiB after '>', found -1");
        assertError("size > 99999999999GiB", "column 8: expected a size such as 100 or 1KiB after '>', found 99999999999GiB");
        assertError("latency > 5", "column 11: expected a time such as 5ms (units ns, us, ms, s) after '>', found 5");
        assertError("latency > 0.5ns", "column 11: expected a time such as 5ms (units ns, us, ms, s) after '>', "
                + "found 0.5ns");
        assertError("latency < \"5ms\"", "column 11: expected a time such as 5ms (units ns, us, ms, s) after '<', "
                + "found \"5ms\"");
        assertError("frames >= 2.5", "column 11: expected a whole number after '>=', found 2.5");
        assertError("seq == 1KiB", "column 8: expected a whole number after '==', found 1KiB");
        assertError("type SUBB", "column 6: expected a socket type such as SUB, DEALER or ROUTER after 'type', "
                + "found 'SUBB'");
        assertError("cmd", "column 4: expected a command name such as SUBSCRIBE or PING after 'cmd', found end of input");
        assertError("cmd \"PING\"", "column 5: expected a command name such as SUBSCRIBE or PING after 'cmd', "
                + "found \"PING\"");
        assertError("conn x3", "column 6: expected a connection such as 3, c3 or \"name\" after 'conn', found 'x3'");
        assertError("conn \"\"", "column 6: expected a connection such as 3, c3 or \"name\" after 'conn', found \"\"");
    }

    @Test
    void aBadRegularExpressionNamesItsColumn() {
        assertError("dir in and payload ~ \"(ab\"",
                "column 22: expected a regular expression, found \"(ab\" (Unclosed group)");
        assertError("identity ~ '[a-'", "column 12: expected a regular expression, found '[a-' "
                + "(Illegal character range)");
    }

    @Test
    void strings() {
        assertError("payload == \"abc", "column 12: expected \" to end the string that starts here, found end of input");
        assertError("payload == 'abc\\'", "column 12: expected ' to end the string that starts here, found end of input");
        assertError("payload == \"a\\u00zz\"", "column 14: expected 4 hex digits after \\u, found '00zz'");
        assertError("payload == \"a\\u00\"", "column 14: expected 4 hex digits after \\u, found '00\"'");
    }
}
