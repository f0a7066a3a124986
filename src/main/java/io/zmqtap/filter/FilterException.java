package io.zmqtap.filter;

/**
 * A filter that cannot be parsed: the column (1-based) where the problem is, and what was
 * expected there.
 *
 * <pre>
 * column 8: expected a size such as 100 or 1KiB after '&gt;', found end of input
 *   size &gt;
 *         ^
 * </pre>
 *
 * <p>Usage: {@code try { Filter.parse(text); } catch (FilterException e) { err.println(e.getMessage()); err.println(e.caret("  ")); }}
 */
public final class FilterException extends IllegalArgumentException {
    private final String input;
    private final int column;
    private final String problem;

    FilterException(String input, int column, String problem) {
        super("column " + column + ": " + problem);
        this.input = input;
        this.column = column;
        this.problem = problem;
    }

    /** Where the problem is, from 1 (one past the end for a filter that ends too soon). */
    public int column() {
        return column;
    }

    /** What was expected and what was found, without the column: {@code expected ')' ..., found end of input}. */
    public String problem() {
        return problem;
    }

    /** The filter as given. */
    public String input() {
        return input;
    }

    /**
     * Two lines: the filter (tabs and line breaks as spaces) and a caret under the column, each
     * after {@code indent}.
     */
    public String caret(String indent) {
        String flat = input.replaceAll("[\\t\\n\\r\\f]", " ");
        return indent + flat + "\n" + indent + " ".repeat(Math.max(0, column - 1)) + "^";
    }
}
