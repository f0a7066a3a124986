package io.zmqtap.replay;

/**
 * How a replay went, counted.
 *
 * <p>Usage: {@code System.exit(summary.ok() ? 0 : 1);}
 *
 * @param requests requests sent (or tried)
 * @param same whose new reply was the recorded one
 * @param differs whose new reply differed
 * @param unanswered that got no reply within the timeout
 * @param unrecorded that got a reply the recording had nothing to compare with
 * @param late replies that came after their request had been given up
 */
public record ReplaySummary(long requests, long same, long differs, long unanswered, long unrecorded, long late) {
    /** True when no reply differed and none was missing. */
    public boolean ok() {
        return differs == 0 && unanswered == 0;
    }

    /** E.g. {@code replayed 120 requests: 119 same, 1 differs, 0 unanswered}. */
    public String describe() {
        StringBuilder sb = new StringBuilder("replayed ").append(requests).append(requests == 1 ? " request: " : " requests: ")
                .append(same).append(" same, ").append(differs).append(differs == 1 ? " differs, " : " differ, ")
                .append(unanswered).append(" unanswered");
        if (unrecorded > 0) {
            sb.append(", ").append(unrecorded).append(" without a recorded reply");
        }
        if (late > 0) {
            sb.append(", ").append(late).append(late == 1 ? " late reply" : " late replies").append(" ignored");
        }
        return sb.toString();
    }
}
