package io.zmqtap.replay;

import io.zmqtap.event.Frame;
import java.util.List;

/**
 * Where a new reply differs from the recorded one: the frame count first, then the first frame
 * that differs and the first byte in it (both counted as the frames travelled, after a ROUTER's
 * routing id: frame 1 of {@code ["", "42"]} is the delimiter).
 *
 * <pre>{@code
 * ReplyDiff d = ReplyDiff.of(List.of(Frame.EMPTY, Frame.of("42")), List.of(Frame.EMPTY, Frame.of("43")));
 * d.describe(); // "frame 2 differs at byte 1"
 * }</pre>
 *
 * <p>A recorded frame that was cut ({@code --snap}) matches a new one of its size whose first bytes
 * are the recorded ones.
 *
 * @param frame the first differing frame, from 1; 0 when the frame counts differ
 * @param offset the first differing byte in that frame, from 0; -1 when the frame counts differ
 * @param recordedFrames how many frames the recorded reply had
 * @param newFrames how many the new one has
 * @param recordedSize the differing frame's recorded size (0 when the counts differ)
 * @param newSize its new size (0 when the counts differ)
 */
public record ReplyDiff(int frame, long offset, int recordedFrames, int newFrames, long recordedSize, long newSize) {
    /** The difference between {@code recorded} and {@code now}, or null when they are the same. */
    public static ReplyDiff of(List<Frame> recorded, List<Frame> now) {
        if (recorded.size() != now.size()) {
            return new ReplyDiff(0, -1, recorded.size(), now.size(), 0, 0);
        }
        for (int i = 0; i < recorded.size(); i++) {
            long at = firstDifference(recorded.get(i), now.get(i));
            if (at >= 0) {
                return new ReplyDiff(i + 1, at, recorded.size(), now.size(), recorded.get(i).size(), now.get(i).size());
            }
        }
        return null;
    }

    /** The first byte where the frames differ, or -1 when they are the same. */
    static long firstDifference(Frame recorded, Frame now) {
        byte[] a = recorded.data();
        byte[] b = now.data();
        int common = Math.min(a.length, b.length);
        for (int i = 0; i < common; i++) {
            if (a[i] != b[i]) {
                return i;
            }
        }
        if (recorded.size() == now.size() && (a.length == b.length || recorded.truncated())) {
            return -1; // equal, or equal as far as the recording kept
        }
        return common;
    }

    /** E.g. {@code frame 2 differs at byte 1}, {@code 2 frames recorded, 3 now}. */
    public String describe() {
        if (frame == 0) {
            return recordedFrames + (recordedFrames == 1 ? " frame" : " frames") + " recorded, " + newFrames + " now";
        }
        String where = "frame " + frame + " differs at byte " + offset;
        return recordedSize == newSize ? where : where + ": " + recordedSize + " B recorded, " + newSize + " B now";
    }
}
