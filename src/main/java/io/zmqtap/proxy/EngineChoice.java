package io.zmqtap.proxy;

import io.zmqtap.BadValueException;
import io.zmqtap.endpoint.Endpoint;
import java.util.ArrayList;
import java.util.List;
import org.zeromq.SocketType;

/**
 * Which engine runs a {@link MonitoredQueue.Builder}'s proxy, and whether it is a proxy at all:
 * a pair of socket types that forwards nothing, or an {@code AUTO}/{@code WIRE}/{@code JEROMQ}
 * request an engine cannot honour, is a one-line {@link BadValueException} before anything starts.
 */
final class EngineChoice {
    private EngineChoice() {}

    /** A proxy whose frontend cannot take messages in, or whose backend cannot pass them on, forwards nothing. */
    static void checkPattern(MonitoredQueue.Builder b) {
        boolean ok = switch (b.frontendType) {
            case ROUTER, DEALER -> b.backendType == SocketType.ROUTER || b.backendType == SocketType.DEALER;
            case XSUB, SUB -> b.backendType == SocketType.XPUB || b.backendType == SocketType.PUB;
            case PULL -> b.backendType == SocketType.PUSH;
            case PAIR -> b.backendType == SocketType.PAIR;
            default -> false;
        };
        if (!ok) {
            throw new BadValueException("a " + b.frontendType + " frontend with a " + b.backendType
                    + " backend is no proxy: expected ROUTER or DEALER with ROUTER or DEALER, XSUB or SUB with "
                    + "XPUB or PUB, PULL with PUSH, or PAIR with PAIR");
        }
    }

    /** The engine the builder asked for, or for {@code AUTO} the wire engine where it can run the proxy. */
    static MonitoredQueue.Engine choose(MonitoredQueue.Builder b) {
        String why = wireCannotRun(b);
        if (b.engine == MonitoredQueue.Engine.WIRE && why != null) {
            throw new BadValueException("the wire engine cannot run this proxy: " + why
                    + " (use the jeromq engine)");
        }
        MonitoredQueue.Engine chosen = b.engine == MonitoredQueue.Engine.JEROMQ || why != null
                ? MonitoredQueue.Engine.JEROMQ : MonitoredQueue.Engine.WIRE;
        String security = securityNeedsJeromq(b);
        if (b.engine == MonitoredQueue.Engine.AUTO && security != null) {
            b.notices.accept(security + ": the JeroMQ engine serves this queue");
        }
        if (chosen == MonitoredQueue.Engine.JEROMQ) {
            refuseIpc(b);
        }
        return chosen;
    }

    /** Why the wire engine cannot run this proxy, or {@code null} when it can. */
    private static String wireCannotRun(MonitoredQueue.Builder b) {
        String security = securityNeedsJeromq(b);
        if (security != null) {
            return "it speaks the NULL mechanism only, not " + security;
        }
        if (b.frontendType != SocketType.ROUTER || b.backendType != SocketType.DEALER) {
            return "it runs ROUTER/DEALER queues only, not " + b.frontendType + "/" + b.backendType;
        }
        for (List<Endpoint> side : List.of(b.frontend, b.backend)) {
            for (Endpoint e : side) {
                if (!e.address().startsWith("tcp://") && !e.address().startsWith("ipc://")) {
                    return "it speaks tcp:// and ipc:// only, not " + e.address();
                }
            }
        }
        return null;
    }

    /**
     * What about the frontend's or backend's security the wire engine cannot do, e.g. {@code CURVE on
     * the frontend}, or null. Its NIO loop speaks NULL only; JeroMQ speaks CURVE and PLAIN with
     * libzmq's peers. (The capture and control sockets are JeroMQ's in either engine.)
     */
    static String securityNeedsJeromq(MonitoredQueue.Builder b) {
        if (b.frontendSecurity != null) {
            return b.frontendSecurity.mechanism() + " on the frontend";
        }
        if (b.backendSecurity != null) {
            return b.backendSecurity.mechanism() + " on the backend";
        }
        if (b.access.filtersAddresses()) {
            return "address rules (--allow-ip, --deny-ip) on the frontend";
        }
        return null;
    }

    /**
     * JeroMQ only emulates ipc:// (over TCP, on a port derived from the path): libzmq peers on
     * that path would find no socket file and hang. Said at once rather than found out later.
     */
    private static void refuseIpc(MonitoredQueue.Builder b) {
        List<List<Endpoint>> all = new ArrayList<>(List.of(b.frontend, b.backend));
        if (b.control != null) {
            all.add(b.control);
        }
        if (b.capture != null && !WireAssembly.ownsCapture(b)) {
            all.add(b.capture);
        }
        for (List<Endpoint> side : all) {
            for (Endpoint e : side) {
                if (e.address().startsWith("ipc://")) {
                    throw new BadValueException("cannot use " + e.address() + " with the jeromq engine: JeroMQ only "
                            + "emulates ipc:// over TCP, so libzmq peers could not connect; use tcp://, or the wire "
                            + "engine (ROUTER/DEALER queues)");
                }
            }
        }
    }
}
