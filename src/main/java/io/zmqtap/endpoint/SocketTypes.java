package io.zmqtap.endpoint;

import io.zmqtap.BadValueException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.zeromq.SocketType;

/** Parses socket type names given on the command line, with an error listing the allowed ones. */
public final class SocketTypes {
    private SocketTypes() {}

    /**
     * Returns the socket type called {@code name} (any case) if it is one of {@code allowed}.
     *
     * <p>Usage: {@code SocketTypes.parse("--mon-type", "pub", Set.of(SocketType.PUB, SocketType.PUSH))}
     */
    public static SocketType parse(String option, String name, Set<SocketType> allowed) {
        SocketType type = null;
        try {
            type = SocketType.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            // reported below with the list of allowed names
        }
        if (type == null || !allowed.contains(type)) {
            String names = Arrays.stream(SocketType.values())
                    .filter(allowed::contains)
                    .map(Enum::name)
                    .collect(Collectors.joining(", "));
            throw new BadValueException("unknown socket type '" + name + "' for " + option + ": expected one of " + names);
        }
        return type;
    }
}
