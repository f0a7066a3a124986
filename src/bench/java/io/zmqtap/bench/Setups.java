package io.zmqtap.bench;

import io.zmqtap.BadValueException;
import io.zmqtap.proxy.MonitoredQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The setups {@code zmqtap bench} knows, by name, in table order.
 *
 * <p>Usage: {@code List<Setup> s = Setups.available(Setups.select("direct,libzmq", Optional.empty()), note -> err.println(note));}
 */
public final class Setups {
    private static final Map<String, Function<Optional<Duration>, Setup>> KNOWN = new LinkedHashMap<>();

    static {
        KNOWN.put("direct", busyPoll -> new DirectSetup());
        KNOWN.put("zmqtap-process", ZmqtapProcessSetup::new);
        KNOWN.put("zmqtap", busyPoll -> new ZmqtapSetup(busyPoll, MonitoredQueue.Engine.AUTO));
        KNOWN.put("zmqtap-jeromq", busyPoll -> new ZmqtapSetup(busyPoll, MonitoredQueue.Engine.JEROMQ));
        KNOWN.put("zmqtap-stalled", StalledSnifferSetup::new);
        KNOWN.put("libzmq", busyPoll -> new LibzmqSetup());
        KNOWN.put("jeromq-proxy", busyPoll -> new JeromqProxySetup());
        KNOWN.put("tap", TapSetup::new);
    }

    /**
     * What a run compares unless told otherwise: every setup. {@code zmqtap-process} (the queue as its
     * own JVM, warmed up for {@link BenchConfig#jvmWarmup()} every run) is zmqtap as deployed, the
     * headline; the in-JVM setups show what the engines, a stalled sniffer and the tap cost.
     */
    public static final List<String> DEFAULT = List.of("direct", "zmqtap-process", "zmqtap", "zmqtap-jeromq",
            "zmqtap-stalled", "libzmq", "jeromq-proxy", "tap");

    private Setups() {}

    /** Every known setup name, e.g. {@code direct, zmqtap, zmqtap-jeromq, zmqtap-stalled, libzmq, ...}. */
    public static List<String> names() {
        return List.copyOf(KNOWN.keySet());
    }

    /**
     * The setups named in a comma list, in the order given; unknown names are a one-line error.
     * zmqtap's own setups (the queue and the tap) busy-poll for {@code busyPoll}, or for their
     * components' defaults when it is empty.
     */
    public static List<Setup> select(String names, Optional<Duration> busyPoll) {
        List<Setup> setups = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (String part : names.split(",")) {
            String name = part.strip().toLowerCase(Locale.ROOT);
            Function<Optional<Duration>, Setup> s = KNOWN.get(name);
            if (s == null) {
                throw new BadValueException("unknown setup '" + part.strip() + "': expected some of "
                        + String.join(", ", KNOWN.keySet()));
            }
            if (!seen.contains(name)) {
                seen.add(name);
                setups.add(s.apply(busyPoll));
            }
        }
        return setups;
    }

    /** The setups that can run here; each one that cannot is reported to {@code notes} in one line. */
    public static List<Setup> available(List<Setup> setups, Consumer<String> notes) {
        List<Setup> ok = new ArrayList<>();
        for (Setup s : setups) {
            s.unavailable().ifPresentOrElse(notes, () -> ok.add(s));
        }
        return ok;
    }
}
