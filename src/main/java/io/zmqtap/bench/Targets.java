package io.zmqtap.bench;

import io.zmqtap.sink.Ansi;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * zmqtap's performance targets, checked against bench results (a target whose runs are missing is
 * left out):
 * <ul>
 *   <li>pipelined 16 B, window 100: at least 1.5x libzmq's MonitoredQueue and 0.5x direct;</li>
 *   <li>added median round-trip time at 16 B (zmqtap - direct) no more than libzmq's;</li>
 *   <li>no capture loss at window 100;</li>
 *   <li>a stalled sniffer costs the queue's traffic at most 10%: {@code zmqtap-stalled} at least 0.9x
 *       {@code zmqtap}, pipelined 16 B, window 100;</li>
 *   <li>the wire tap: pipelined 16 B, window 100, at least 0.8x direct, and at most 50 us added to
 *       the median round-trip time at 16 B.</li>
 * </ul>
 *
 * <p>Usage: {@code out.print(Targets.check(results).format(ansi));}
 */
public final class Targets {
    private static final Load PIPELINED_16_W100 = Load.pipelined(16, 100);
    private static final Load ROUND_TRIP_16 = Load.roundTrip(16);
    private static final double TAP_ADDED_RTT_US = 50;

    /** One target: what it asks, what was measured, whether it was met. */
    public record Check(String target, String measured, boolean met) {}

    private final List<Check> checks;

    private Targets(List<Check> checks) {
        this.checks = List.copyOf(checks);
    }

    public List<Check> checks() {
        return checks;
    }

    public static Targets check(List<RunResult> results) {
        List<Check> checks = new ArrayList<>();
        Optional<RunResult> zmqtap = find(results, Report.ZMQTAP, PIPELINED_16_W100);
        Optional<RunResult> libzmq = find(results, Report.LIBZMQ, PIPELINED_16_W100);
        Optional<RunResult> direct = find(results, Report.DIRECT, PIPELINED_16_W100);
        if (zmqtap.isPresent() && libzmq.isPresent()) {
            checks.add(rateRatio("zmqtap >= 1.5x libzmq, pipelined 16 B window 100", zmqtap.get(), libzmq.get(), 1.5));
        }
        if (zmqtap.isPresent() && direct.isPresent()) {
            checks.add(rateRatio("zmqtap >= 0.5x direct, pipelined 16 B window 100", zmqtap.get(), direct.get(), 0.5));
        }
        Optional<RunResult> zRtt = find(results, Report.ZMQTAP, ROUND_TRIP_16);
        Optional<RunResult> lRtt = find(results, Report.LIBZMQ, ROUND_TRIP_16);
        Optional<RunResult> dRtt = find(results, Report.DIRECT, ROUND_TRIP_16);
        if (zRtt.isPresent() && lRtt.isPresent() && dRtt.isPresent()) {
            double base = dRtt.get().measurement().rttP50Us();
            double zAdded = addedRtt(zRtt.get(), dRtt.get());
            double lAdded = addedRtt(lRtt.get(), dRtt.get());
            checks.add(new Check("added median RTT, REQ 16 B: zmqtap <= libzmq",
                    String.format(Locale.ROOT, "zmqtap +%.1f us, libzmq +%.1f us (direct %.1f us)", zAdded, lAdded, base),
                    zAdded <= lAdded));
        }
        for (RunResult r : results) {
            if (r.setup().equals(Report.ZMQTAP) && r.load().kind() == Load.Kind.PIPELINED && r.load().window() == 100
                    && r.hasCapture()) {
                double loss = r.captureLossPercent();
                checks.add(new Check("0 capture loss, " + r.load().label(),
                        r.captured() + " of " + r.expectedCaptures() + " captured (" + Report.percent(loss) + " lost)",
                        loss == 0));
            }
        }
        Optional<RunResult> stalled = find(results, Report.STALLED, PIPELINED_16_W100);
        if (stalled.isPresent() && zmqtap.isPresent()) {
            checks.add(rateRatio("stalled sniffer >= 0.9x zmqtap, pipelined 16 B window 100", stalled.get(),
                    zmqtap.get(), 0.9));
        }
        Optional<RunResult> tap = find(results, Report.TAP, PIPELINED_16_W100);
        if (tap.isPresent() && direct.isPresent()) {
            checks.add(rateRatio("tap >= 0.8x direct, pipelined 16 B window 100", tap.get(), direct.get(), 0.8));
        }
        Optional<RunResult> tRtt = find(results, Report.TAP, ROUND_TRIP_16);
        if (tRtt.isPresent() && dRtt.isPresent()) {
            double base = dRtt.get().measurement().rttP50Us();
            double added = addedRtt(tRtt.get(), dRtt.get());
            checks.add(new Check("added median RTT, REQ 16 B: tap <= +50 us",
                    String.format(Locale.ROOT, "tap +%.1f us (direct %.1f us)", added, base),
                    added <= TAP_ADDED_RTT_US));
        }
        return new Targets(checks);
    }

    /** Median round trip of {@code r} minus that of {@code direct}, in microseconds. */
    private static double addedRtt(RunResult r, RunResult direct) {
        return r.measurement().rttP50Us() - direct.measurement().rttP50Us();
    }

    private static Check rateRatio(String target, RunResult r, RunResult base, double wanted) {
        double ratio = r.messagesPerSecond() / base.messagesPerSecond();
        String measured = String.format(Locale.ROOT, "%s (%,.0f vs %,.0f msgs/s)", Report.ratio(ratio),
                r.messagesPerSecond(), base.messagesPerSecond());
        return new Check(target, measured, ratio >= wanted);
    }

    private static Optional<RunResult> find(List<RunResult> results, String setup, Load load) {
        return results.stream().filter(r -> r.setup().equals(setup) && r.load().equals(load)).findFirst();
    }

    /** {@code Targets} heading and one {@code met}/{@code MISSED} line per check; empty without checks. */
    public String format(Ansi ansi) {
        if (checks.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(ansi.bold("Targets")).append('\n');
        for (Check c : checks) {
            String mark = c.met() ? ansi.green("met   ") : ansi.red("MISSED");
            sb.append(mark).append("  ").append(c.target()).append(": ").append(c.measured()).append('\n');
        }
        return sb.toString();
    }
}
